package dev.anomaly.job.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A directory of one embedded run, under java.io.tmpdir, for what Flink unpacks and writes while it runs (the RPC
 * system's 21 MB jar, the MiniCluster's working directory with its blob storage, RocksDB's native library) and
 * would otherwise leave behind whenever the JVM exits before the MiniCluster has closed, as on Ctrl-C.
 */
final class ScratchDirectory {
    private final Path path;

    private ScratchDirectory(Path path) {
        this.path = path;
    }

    static ScratchDirectory create() throws IOException {
        return new ScratchDirectory(Files.createTempDirectory("anomaly-run-"));
    }

    Path path() {
        return path;
    }

    /** Deletes the directory and everything in it; what cannot be deleted (a file still being written) stays. */
    void delete() {
        deleteQuietly(path);
    }

    /**
     * Deletes {@code dir} and everything in it, going on past what cannot be deleted or vanishes meanwhile (another
     * thread deleting there too), and never throws: for temporary directories, where what is left is harmless.
     */
    static void deleteQuietly(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    deleteEntry(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    deleteEntry(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // Best effort: a temporary directory left behind is harmless.
        }
    }

    private static void deleteEntry(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // A non-empty directory (a file that could not go) or a file another thread still holds.
        }
    }
}
