package dev.fanout.fleet;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.subsystem.SubsystemFactory;

/**
 * The simulated hosts' SFTP server: protocol version 3 as OpenSSH's {@code sftp-server} speaks it, with its
 * {@code posix-rename@openssh.com} and {@code statvfs@openssh.com} extensions, over the host's in-memory
 * {@link FleetFileSystem}. Like OpenSSH it reports a full disk as a plain failure ({@code SSH_FX_FAILURE}) and
 * tells the free space through statvfs. A channel is served by a platform thread of its own (not a virtual one:
 * a fleet in the client's JVM, as in tests, must not wait for carrier threads the client's hosts occupy), after the
 * fleet's command latency once; a HANG host never answers, a DROP_MID_COMMAND host drops the connection. An open
 * creates a file with the mode it gives (else 0666), less the usual umask 022, and with {@code EXCL} checks and
 * creates in one step, as {@code open(2)} does. Appending opens and file ownership are not simulated.
 *
 * <p>Design: a written file's bytes collect in its handle ({@link FileContent.Builder}, taking disk space as they
 * come) and replace the file when the handle closes, so readers see the old content or the new, never a part.
 */
final class FleetSftp implements Command {

    /** Creates the subsystem for the host of the channel's session. */
    static final class Factory implements SubsystemFactory {
        private final FleetRuntime runtime;

        Factory(FleetRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public String getName() {
            return "sftp";
        }

        @Override
        public Command createSubsystem(ChannelSession channel) {
            return new FleetSftp(runtime, ((FleetSession) channel.getSession()).host());
        }
    }

    private static final int VERSION = 3;
    private static final int INIT = 1;
    private static final int OPEN = 3;
    private static final int CLOSE = 4;
    private static final int READ = 5;
    private static final int WRITE = 6;
    private static final int LSTAT = 7;
    private static final int FSTAT = 8;
    private static final int SETSTAT = 9;
    private static final int FSETSTAT = 10;
    private static final int OPENDIR = 11;
    private static final int READDIR = 12;
    private static final int REMOVE = 13;
    private static final int MKDIR = 14;
    private static final int RMDIR = 15;
    private static final int REALPATH = 16;
    private static final int STAT = 17;
    private static final int RENAME = 18;
    private static final int EXTENDED = 200;
    private static final int STATUS = 101;
    private static final int HANDLE = 102;
    private static final int DATA = 103;
    private static final int NAME = 104;
    private static final int ATTRS = 105;
    private static final int EXTENDED_REPLY = 201;

    private static final int OK = 0;
    private static final int EOF = 1;
    private static final int NO_SUCH_FILE = 2;
    private static final int PERMISSION_DENIED = 3;
    private static final int FAILURE = 4;
    private static final int BAD_MESSAGE = 5;
    private static final int OP_UNSUPPORTED = 8;

    private static final int FLAG_WRITE = 2;
    private static final int FLAG_APPEND = 4;
    private static final int FLAG_CREAT = 8;
    private static final int FLAG_TRUNC = 16;
    private static final int FLAG_EXCL = 32;

    /** A new file's mode when the open gives none, and the umask applied to it (the usual one). */
    private static final int DEFAULT_MODE = 0666;
    private static final int UMASK = 022;

    private static final int ATTR_SIZE = 1;
    private static final int ATTR_UIDGID = 2;
    private static final int ATTR_PERMISSIONS = 4;
    private static final int ATTR_ACMODTIME = 8;
    private static final int ATTR_EXTENDED = 0x80000000;
    private static final int TYPE_FILE = 0100000;
    private static final int TYPE_DIRECTORY = 0040000;

    private static final int MAX_PACKET = 4 * 1024 * 1024;
    private static final int MAX_READ = 64 * 1024;
    private static final long BLOCK = 4096;
    private static final long UNLIMITED_BLOCKS = 1L << 40;

    /** An open file or directory. */
    private sealed interface Handle permits FileHandle, DirectoryHandle {
    }

    private static final class FileHandle implements Handle {
        final String path;
        final FileContent reading;
        final FileContent.Builder writing;
        final int createMode;
        long reserved;

        FileHandle(String path, FileContent reading, FileContent.Builder writing, int createMode) {
            this.path = path;
            this.reading = reading;
            this.writing = writing;
            this.createMode = createMode;
        }
    }

    private static final class DirectoryHandle implements Handle {
        final String path;
        final ArrayDeque<String> names;

        DirectoryHandle(String path, List<String> names) {
            this.path = path;
            this.names = new ArrayDeque<>(names);
        }
    }

    /** A request the server refuses, with its status. */
    private static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final FleetRuntime runtime;
    private final SimulatedHost host;
    private final Map<String, Handle> handles = new HashMap<>();
    private int nextHandle;
    private InputStream in;
    private OutputStream out;
    private ExitCallback exit;
    private ChannelSession channel;
    private volatile Thread worker;

    FleetSftp(FleetRuntime runtime, SimulatedHost host) {
        this.runtime = runtime;
        this.host = host;
    }

    @Override
    public void setInputStream(InputStream stream) {
        this.in = stream;
    }

    @Override
    public void setOutputStream(OutputStream stream) {
        this.out = stream;
    }

    @Override
    public void setErrorStream(OutputStream stream) {
        // SFTP writes nothing on stderr.
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession session, Environment environment) {
        this.channel = session;
        worker = Thread.ofPlatform().daemon().name("fanout-fleet-sftp-" + host.name()).start(this::serve);
    }

    @Override
    public void destroy(ChannelSession session) {
        Thread running = worker;
        if (running != null) {
            running.interrupt();
        }
    }

    private void serve() {
        try {
            TimeUnit.NANOSECONDS.sleep(runtime.config().commandLatency().sampleNanos());
            if (host.has(FaultType.DROP_MID_COMMAND)) {
                channel.getSession().close(true);
            }
            if (host.has(FaultType.HANG) || host.has(FaultType.DROP_MID_COMMAND)) {
                Thread.sleep(Long.MAX_VALUE);
            }
            DataInputStream packets = new DataInputStream(in);
            while (true) {
                int length = packets.readInt();
                if (length <= 0 || length > MAX_PACKET) {
                    throw new IOException("bad SFTP packet length " + length);
                }
                byte[] packet = new byte[length];
                packets.readFully(packet);
                Buffer reply = handle(new ByteArrayBuffer(packet));
                byte[] bytes = reply.getCompactData();
                out.write(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
                        (byte) (bytes.length >>> 8), (byte) bytes.length});
                out.write(bytes);
                out.flush();
            }
        } catch (EOFException | InterruptedException e) {
            // The client closed the channel, or the session went.
        } catch (IOException e) {
            if (channel.isOpen()) {
                channel.close(false);
            }
        } finally {
            releaseAll();
            exit.onExit(0);
        }
    }

    private Buffer handle(Buffer request) {
        int type = request.getUByte();
        if (type == INIT) {
            Buffer version = reply(2);
            version.putUInt(VERSION);
            version.putString("posix-rename@openssh.com");
            version.putString("1");
            version.putString("statvfs@openssh.com");
            version.putString("2");
            return version;
        }
        int id = request.getInt();
        try {
            return switch (type) {
                case OPEN -> open(id, path(request.getString()), request.getInt(), permissions(request));
                case CLOSE -> close(id, request.getString());
                case READ -> read(id, file(request.getString()), request.getLong(), request.getInt());
                case WRITE -> write(id, file(request.getString()), request.getLong(), request.getBytes());
                case STAT, LSTAT -> attributes(id, node(path(request.getString())));
                case FSTAT -> attributes(id, node(file(request.getString()).path));
                case SETSTAT -> setMode(id, path(request.getString()), permissions(request));
                case FSETSTAT -> setMode(id, file(request.getString()).path, permissions(request));
                case OPENDIR -> openDirectory(id, path(request.getString()));
                case READDIR -> readDirectory(id, request.getString());
                case REMOVE -> change(id, files().remove(path(request.getString()), false));
                case RMDIR -> removeDirectory(id, path(request.getString()));
                case MKDIR -> change(id, files().mkdir(path(request.getString()), false));
                case REALPATH -> realPath(id, path(request.getString()));
                case RENAME -> rename(id, path(request.getString()), path(request.getString()), false);
                case EXTENDED -> extended(id, request.getString(), request);
                default -> status(id, OP_UNSUPPORTED, "unsupported request " + type);
            };
        } catch (Refused refused) {
            return status(id, refused.status, refused.getMessage());
        } catch (RuntimeException malformed) {
            return status(id, BAD_MESSAGE, "bad message");
        }
    }

    private FleetFileSystem files() {
        return host.files();
    }

    private Buffer open(int id, String path, int flags, Optional<Integer> mode) throws Refused {
        Optional<FleetFileSystem.Node> existing = files().get(path);
        if (existing.isPresent() && existing.get().directory()) {
            throw new Refused(FAILURE, "Failure");
        }
        if ((flags & FLAG_WRITE) == 0) {
            FleetFileSystem.Node node = existing.orElseThrow(() -> new Refused(NO_SUCH_FILE, "No such file"));
            return handleReply(id, new FileHandle(path, node.content(), null, 0));
        }
        if (!files().writable(path)) {
            throw new Refused(PERMISSION_DENIED, "Permission denied");
        }
        Optional<FleetFileSystem.Node> parent = files().get(FleetFileSystem.parentOf(path));
        if (parent.isEmpty() || !parent.get().directory()) {
            throw new Refused(NO_SUCH_FILE, "No such file");
        }
        if (existing.isEmpty() && (flags & FLAG_CREAT) == 0) {
            throw new Refused(NO_SUCH_FILE, "No such file");
        }
        int createMode = mode.orElse(DEFAULT_MODE) & ~UMASK;
        if ((flags & FLAG_EXCL) != 0) {
            // Checked and created in one step: of two opens at once, one gets the file and the other a failure.
            check(files().createNew(path, createMode));
            return handleReply(id, new FileHandle(path, null, new FileContent.Builder(), createMode));
        }
        boolean truncate = (flags & FLAG_TRUNC) != 0 || existing.isEmpty();
        FileContent.Builder writing = truncate ? new FileContent.Builder()
                : new FileContent.Builder(existing.get().content());
        if (truncate) {
            check(files().put(path, FileContent.EMPTY, createMode));
        }
        FileHandle handle = new FileHandle(path, null, writing, createMode);
        if (!truncate) {
            reserve(handle, writing.size());
        }
        if ((flags & FLAG_APPEND) != 0) {
            throw new Refused(OP_UNSUPPORTED, "append is not simulated");
        }
        return handleReply(id, handle);
    }

    private Buffer close(int id, String name) throws Refused {
        Handle handle = handles.remove(name);
        if (handle == null) {
            throw new Refused(FAILURE, "no such handle");
        }
        if (handle instanceof FileHandle file && file.writing != null) {
            String error = files().put(file.path, file.writing.build(), file.createMode);
            if (error != null) {
                files().release(file.reserved);
                throw refusal(error);
            }
        }
        return status(id, OK, "");
    }

    private Buffer read(int id, FileHandle handle, long offset, int length) throws Refused {
        FileContent content = handle.reading != null ? handle.reading : handle.writing.build();
        byte[] chunk = new byte[Math.min(length, MAX_READ)];
        int count = content.read(offset, chunk, chunk.length);
        if (count < 0) {
            return status(id, EOF, "EOF");
        }
        Buffer data = reply(DATA);
        data.putInt(id);
        data.putBytes(chunk, 0, count);
        return data;
    }

    private Buffer write(int id, FileHandle handle, long offset, byte[] bytes) throws Refused {
        if (handle.writing == null) {
            throw new Refused(PERMISSION_DENIED, "Permission denied");
        }
        long growth = offset + bytes.length - handle.writing.size();
        if (growth > 0) {
            reserve(handle, growth);
        }
        handle.writing.write(offset, bytes, 0, bytes.length);
        return status(id, OK, "");
    }

    /** Takes disk space for a handle's bytes; a full disk is a plain failure, as OpenSSH reports it. */
    private void reserve(FileHandle handle, long bytes) throws Refused {
        if (!files().reserve(bytes)) {
            throw new Refused(FAILURE, "Failure");
        }
        handle.reserved += bytes;
    }

    private Buffer setMode(int id, String path, Optional<Integer> mode) throws Refused {
        if (files().get(path).isEmpty()) {
            throw new Refused(NO_SUCH_FILE, "No such file");
        }
        if (mode.isPresent()) {
            if (!files().writable(path)) {
                throw new Refused(PERMISSION_DENIED, "Permission denied");
            }
            files().chmod(path, old -> mode.get());
        }
        return status(id, OK, "");
    }

    private Buffer openDirectory(int id, String path) throws Refused {
        FleetFileSystem.Node node = node(path);
        if (!node.directory()) {
            throw new Refused(FAILURE, "Not a directory");
        }
        return handleReply(id, new DirectoryHandle(path, files().list(path)));
    }

    private Buffer readDirectory(int id, String name) throws Refused {
        if (!(handles.get(name) instanceof DirectoryHandle directory)) {
            throw new Refused(FAILURE, "no such handle");
        }
        if (directory.names.isEmpty()) {
            return status(id, EOF, "EOF");
        }
        Buffer reply = reply(NAME);
        reply.putInt(id);
        int count = Math.min(100, directory.names.size());
        reply.putInt(count);
        for (int i = 0; i < count; i++) {
            String child = directory.names.poll();
            String full = directory.path.equals("/") ? "/" + child : directory.path + "/" + child;
            FleetFileSystem.Node node = files().get(full).orElse(new FleetFileSystem.Node(false,
                    FileContent.EMPTY, 0));
            reply.putString(child);
            reply.putString((node.directory() ? "d" : "-") + "rw-r--r-- 1 " + host.user() + " " + host.user() + " "
                    + size(node) + " Jan 1 00:00 " + child);
            putAttributes(reply, node);
        }
        return reply;
    }

    private Buffer removeDirectory(int id, String path) throws Refused {
        FleetFileSystem.Node node = node(path);
        if (!node.directory()) {
            throw new Refused(FAILURE, "Not a directory");
        }
        if (!files().list(path).isEmpty()) {
            throw new Refused(FAILURE, "Directory not empty");
        }
        return change(id, files().remove(path, true));
    }

    private Buffer realPath(int id, String path) {
        Buffer reply = reply(NAME);
        reply.putInt(id);
        reply.putInt(1);
        reply.putString(path);
        reply.putString(path);
        reply.putInt(0);
        return reply;
    }

    private Buffer rename(int id, String from, String to, boolean replace) throws Refused {
        if (!replace && files().get(to).isPresent()) {
            throw new Refused(FAILURE, "Failure");
        }
        return change(id, files().rename(from, to));
    }

    private Buffer extended(int id, String name, Buffer request) throws Refused {
        return switch (name) {
            case "posix-rename@openssh.com" -> rename(id, path(request.getString()), path(request.getString()), true);
            case "statvfs@openssh.com" -> statvfs(id, path(request.getString()));
            default -> status(id, OP_UNSUPPORTED, "unsupported extension " + name);
        };
    }

    private Buffer statvfs(int id, String path) throws Refused {
        node(path);
        long free = files().freeBytes();
        long freeBlocks = free == Long.MAX_VALUE ? UNLIMITED_BLOCKS : free / BLOCK;
        Buffer reply = reply(EXTENDED_REPLY);
        reply.putInt(id);
        for (long value : new long[] {BLOCK, BLOCK, Math.max(freeBlocks, UNLIMITED_BLOCKS), freeBlocks, freeBlocks,
                1_000_000, 500_000, 500_000, 1, 0, 255}) {
            reply.putLong(value);
        }
        return reply;
    }

    private Buffer change(int id, String error) throws Refused {
        check(error);
        return status(id, OK, "");
    }

    private static void check(String error) throws Refused {
        if (error != null) {
            throw refusal(error);
        }
    }

    private static Refused refusal(String error) {
        return switch (error) {
            case FleetFileSystem.NO_SUCH_FILE, "Directory nonexistent" -> new Refused(NO_SUCH_FILE, "No such file");
            case FleetFileSystem.PERMISSION_DENIED -> new Refused(PERMISSION_DENIED, "Permission denied");
            default -> new Refused(FAILURE, "Failure");
        };
    }

    private Buffer attributes(int id, FleetFileSystem.Node node) {
        Buffer reply = reply(ATTRS);
        reply.putInt(id);
        putAttributes(reply, node);
        return reply;
    }

    private static void putAttributes(Buffer buffer, FleetFileSystem.Node node) {
        buffer.putInt(ATTR_SIZE | ATTR_UIDGID | ATTR_PERMISSIONS | ATTR_ACMODTIME);
        buffer.putLong(size(node));
        buffer.putInt(0);
        buffer.putInt(0);
        buffer.putInt((node.directory() ? TYPE_DIRECTORY : TYPE_FILE) | node.mode());
        buffer.putInt(0);
        buffer.putInt(0);
    }

    private static long size(FleetFileSystem.Node node) {
        return node.directory() ? BLOCK : node.content().size();
    }

    /** Reads an ATTRS structure, keeping only the permission bits (the rest is not simulated). */
    private static Optional<Integer> permissions(Buffer request) {
        int flags = request.getInt();
        if ((flags & ATTR_SIZE) != 0) {
            request.getLong();
        }
        if ((flags & ATTR_UIDGID) != 0) {
            request.getInt();
            request.getInt();
        }
        Optional<Integer> mode = Optional.empty();
        if ((flags & ATTR_PERMISSIONS) != 0) {
            mode = Optional.of(request.getInt() & 07777);
        }
        if ((flags & ATTR_ACMODTIME) != 0) {
            request.getInt();
            request.getInt();
        }
        if ((flags & ATTR_EXTENDED) != 0) {
            int count = request.getInt();
            for (int i = 0; i < count; i++) {
                request.getString();
                request.getString();
            }
        }
        return mode;
    }

    private FleetFileSystem.Node node(String path) throws Refused {
        return files().get(path).orElseThrow(() -> new Refused(NO_SUCH_FILE, "No such file"));
    }

    private FileHandle file(String name) throws Refused {
        if (handles.get(name) instanceof FileHandle file) {
            return file;
        }
        throw new Refused(FAILURE, "no such handle");
    }

    private Buffer handleReply(int id, Handle handle) {
        String name = Integer.toString(nextHandle++);
        handles.put(name, handle);
        Buffer reply = reply(HANDLE);
        reply.putInt(id);
        reply.putString(name);
        return reply;
    }

    /** An absolute, normalised path: relative ones are under the login directory; "." and ".." resolved. */
    private String path(String given) {
        String absolute = given.startsWith("/") ? given : host.home() + "/" + given;
        ArrayDeque<String> parts = new ArrayDeque<>();
        for (String part : absolute.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static Buffer status(int id, int code, String message) {
        Buffer reply = reply(STATUS);
        reply.putInt(id);
        reply.putInt(code);
        reply.putString(message);
        reply.putString("");
        return reply;
    }

    private static Buffer reply(int type) {
        Buffer buffer = new ByteArrayBuffer(64, false);
        buffer.putByte((byte) type);
        return buffer;
    }

    /** Gives back the space of files still open for writing (their bytes never replaced the file). */
    private void releaseAll() {
        for (Handle handle : handles.values()) {
            if (handle instanceof FileHandle file && file.writing != null) {
                files().release(file.reserved);
            }
        }
        handles.clear();
    }
}
