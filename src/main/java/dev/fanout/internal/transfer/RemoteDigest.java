package dev.fanout.internal.transfer;

import dev.fanout.ExecResult;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.RemoteFiles;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 of a remote file, or of its first bytes: {@code sha256sum} on the host when it has one (no bytes cross
 * the network), else the file read back and hashed here.
 */
final class RemoteDigest {

    private static final Pattern SHA256SUM_LINE = Pattern.compile("^\\\\?([0-9a-f]{64}) ");
    private static final int OUTPUT_LIMIT = 4096;

    private RemoteDigest() {
    }

    /** The SHA-256 of the whole file. */
    static String of(String path, RemoteFiles files, TransferContext context, TransferWatchdog watchdog)
            throws StreamCopy.LocalFailure {
        return digest("sha256sum -- " + quote(path), path, Long.MAX_VALUE, files, context, watchdog);
    }

    /** The SHA-256 of the file's first {@code length} bytes (a file that grew since it was read). */
    static String ofFirst(long length, String path, RemoteFiles files, TransferContext context,
            TransferWatchdog watchdog) throws StreamCopy.LocalFailure {
        return digest("head -c " + length + " -- " + quote(path) + " | sha256sum", path, length, files, context,
                watchdog);
    }

    private static String digest(String command, String path, long length, RemoteFiles files,
            TransferContext context, TransferWatchdog watchdog) throws StreamCopy.LocalFailure {
        ExecResult result = context.session().exec(new ExecRequest(command, watchdog.left(), OUTPUT_LIMIT));
        if (result.isSuccess()) {
            Matcher line = SHA256SUM_LINE.matcher(result.stdout().text());
            if (line.find()) {
                return line.group(1);
            }
        }
        MessageDigest digest = StreamCopy.sha256();
        InputStream in = files.open(path);
        StreamCopy.copy(in, OutputStream.nullOutputStream(), false, digest, context.withoutProgress(), length);
        return StreamCopy.hex(digest);
    }

    /** {@code path} as one word for a POSIX shell. */
    static String quote(String path) {
        return "'" + path.replace("'", "'\\''") + "'";
    }
}
