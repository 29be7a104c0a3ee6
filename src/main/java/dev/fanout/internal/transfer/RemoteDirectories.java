package dev.fanout.internal.transfer;

import dev.fanout.error.TransferFailedException;
import dev.fanout.error.TransferFailedException.Reason;
import dev.fanout.spi.RemoteFileAttributes;
import dev.fanout.spi.RemoteFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code mkdir -p} over {@link RemoteFiles}: one stat when the directory exists, else each missing level made in turn.
 */
final class RemoteDirectories {

    private RemoteDirectories() {
    }

    static void make(RemoteFiles files, String directory, TransferContext context) {
        if (isDirectory(files.stat(directory), directory, context)) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String level = directory; level != null; level = FileTransfers.parentOf(level)) {
            Optional<RemoteFileAttributes> found = files.stat(level);
            if (isDirectory(found, level, context)) {
                break;
            }
            missing.add(0, level);
            if (level.equals("/")) {
                break;
            }
        }
        for (String level : missing) {
            try {
                files.mkdir(level);
            } catch (TransferFailedException failure) {
                // Another session may have made it meanwhile; anything else is the failure.
                if (!isDirectory(files.stat(level), level, context)) {
                    throw failure;
                }
            }
        }
    }

    private static boolean isDirectory(Optional<RemoteFileAttributes> found, String path, TransferContext context) {
        if (found.isPresent() && !found.get().directory()) {
            throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, path,
                    "exists and is not a directory", null);
        }
        return found.isPresent();
    }
}
