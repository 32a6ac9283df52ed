package dev.anomaly.job.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Directory trees the job's commands create for a while: scratch, staging, savepoint and benchmark directories. */
public final class DirectoryTrees {

    private DirectoryTrees() {
    }

    /**
     * Deletes {@code dir} and everything in it, going on past what cannot be deleted or vanishes meanwhile (another
     * thread deleting there too), and never throws: for temporary directories, where what is left is harmless.
     */
    public static void deleteQuietly(Path dir) {
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
