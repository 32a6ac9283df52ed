package dev.anomaly.job.cli;

import dev.anomaly.job.files.DirectoryTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a command writes a set of output files before they are published to the directory the user named: a run
 * that fails (bad input halfway, an exception, Ctrl-C) leaves that directory exactly as it was, never half the new
 * outputs beside half the old ones, and every published file appears whole (renamed into place, never written in
 * place). The staging directory is a hidden sibling of the output directory ({@code .NAME.staging-…}), so that a
 * tool walking the output directory never sees it, and on the same file system, so that publishing is a rename; where
 * the parent cannot be written, it is a hidden directory inside the output directory.
 */
final class StagedOutputDirectory {
    private final Path out;
    private final Path staging;
    private final Thread cleanUpOnExit;
    private volatile boolean finished;

    private StagedOutputDirectory(Path out, Path staging) {
        this.out = out;
        this.staging = staging;
        this.cleanUpOnExit = new Thread(() -> {
            if (!finished) {
                DirectoryTrees.deleteQuietly(staging);
            }
        }, "staged-output-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUpOnExit);
    }

    /** Creates {@code out} (if missing) and an empty staging directory for it. */
    static StagedOutputDirectory create(Path out) throws IOException {
        Path dir = out.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        String prefix = "." + dir.getFileName() + ".staging-";
        Path staging;
        try {
            staging = Files.createTempDirectory(dir.getParent(), prefix);
        } catch (IOException | SecurityException | NullPointerException e) {
            staging = Files.createTempDirectory(dir, ".staging-");
        }
        return new StagedOutputDirectory(dir, staging);
    }

    /** Where the command writes its outputs, laid out as they are to appear in the output directory. */
    Path path() {
        return staging;
    }

    /**
     * Moves every file written under {@link #path()} to the same relative path in the output directory, replacing
     * a file of that name. Files of the output directory that the run did not write stay as they are. The caller
     * {@link #discard}s the staging directory afterwards, published or not.
     */
    void publish() {
        try {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(staging)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                Path target = out.resolve(staging.relativize(f).toString());
                Files.createDirectories(target.getParent());
                moveIntoPlace(f, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish the outputs to " + out, e);
        }
    }

    /**
     * Removes the staging directory and whatever is still in it (all that was written, unless it was published);
     * the output directory is left alone.
     */
    void discard() {
        finished = true;
        DirectoryTrees.deleteQuietly(staging);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanUpOnExit);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs (and finds the work done).
        }
    }

    private static void moveIntoPlace(Path from, Path target) throws IOException {
        try {
            Files.move(from, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Another file system: copy beside the target, then rename there.
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            try {
                Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
