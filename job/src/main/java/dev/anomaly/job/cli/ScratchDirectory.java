package dev.anomaly.job.cli;

import dev.anomaly.job.files.DirectoryTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        DirectoryTrees.deleteQuietly(path);
    }
}
