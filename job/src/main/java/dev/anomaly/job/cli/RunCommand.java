package dev.anomaly.job.cli;

import dev.anomaly.job.config.ConfigException;
import dev.anomaly.job.config.JobConfig;
import dev.anomaly.job.graph.DeviceSelection;
import dev.anomaly.job.graph.FlinkSettings;
import dev.anomaly.job.graph.JobArguments;
import dev.anomaly.job.graph.JobStop;
import dev.anomaly.job.graph.StreamingJob;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code anomaly run}: the whole job on an embedded Flink MiniCluster in this JVM, with the Web UI and the
 * Prometheus reporter on loopback. With no arguments it watches this host's own metrics (/proc), self-trains every
 * series after its warm-up and logs anomalies. Ctrl-C stops the job with a savepoint (its sinks flush and commit)
 * and stops cleanly.
 */
final class RunCommand {
    static final String SYNOPSIS = "[--config FILE] [--set key=value]...";

    private final PrintStream out;

    RunCommand(PrintStream out) {
        this.out = out;
    }

    void run(String[] args) throws Exception {
        JobConfig config;
        try {
            config = JobArguments.parse(args).load();
            DeviceSelection.resolve(config.device());
        } catch (ConfigException e) {
            throw new UsageException("run: " + e.getMessage());
        }
        requireFree(config.runtime().webUiPort(), "flink.web-ui-port");
        String reporter = config.runtime().reporterPort();
        if (!reporter.contains("-")) {
            requireFree(Integer.parseInt(reporter), "metrics.reporter-port");
        }
        Configuration conf = FlinkSettings.embedded(config);
        // Flink's scratch files go to a directory of this run, deleted when it stops (unless flink.properties names
        // other places, which are the user's to keep).
        ScratchDirectory scratch = null;
        if (!conf.containsKey("io.tmp.dirs") && !conf.containsKey("process.working-dir")) {
            scratch = ScratchDirectory.create();
            conf.setString("io.tmp.dirs", scratch.path().toString());
            conf.setString("process.working-dir", scratch.path().toString());
        }
        JobClient client;
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            client = StreamingJob.start(env, config);
        } catch (ConfigException e) {
            deleteIfSet(scratch);
            throw new UsageException("run: " + e.getMessage());
        } catch (Exception | Error e) {
            deleteIfSet(scratch);
            throw e;
        }
        out.println("anomaly run: job " + client.getJobID() + " started (source " + config.source().type()
                .name().toLowerCase(java.util.Locale.ROOT) + ", every " + config.fetchInterval().toSeconds() + " s)");
        out.println("  Flink Web UI:       http://127.0.0.1:" + config.runtime().webUiPort());
        out.println("  Prometheus metrics: http://127.0.0.1:" + reporter.split("-")[0] + "/metrics");
        out.println(stopHint(IgnoredSignals.ignores(IgnoredSignals.SIGINT), ProcessHandle.current().pid()));
        out.flush();
        ScratchDirectory scratchToDelete = scratch;
        CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
        AtomicBoolean stopping = new AtomicBoolean();
        // The stop's savepoint, deleted once taken: inside the scratch directory when there is one.
        Path savepoints = (scratch != null ? scratch.path() : Path.of(System.getProperty("java.io.tmpdir")))
                .resolve("anomaly-run-stop-" + client.getJobID());
        // Ctrl-C (or SIGTERM): stop the job with a savepoint, so that the sinks flush and commit what they hold (a
        // cancel would lose the open Kafka transaction and the buffered write-back lines), give the cluster a
        // moment to release its files, delete the scratch directory. Also at a normal exit (a bounded source), where
        // the job has already finished.
        Thread stopper = new Thread(() -> {
            stopping.set(true);
            try {
                if (!result.isDone()) {
                    JobStop.stop(client, savepoints, Duration.ofSeconds(60));
                }
                result.get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // The job already ended (bounded source) or the cluster is going down anyway.
            }
            deleteIfSet(scratchToDelete);
        }, "anomaly-run-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            result.get();
            out.println(stopping.get() ? "anomaly run: job stopped" : "anomaly run: job finished");
        } catch (ExecutionException e) {
            if (!stopping.get()) {
                throw e;
            }
            // Cancelled by Ctrl-C: the shutdown hook finishes the stop; nothing went wrong.
            out.println("anomaly run: job cancelled");
        }
    }

    private static void deleteIfSet(ScratchDirectory scratch) {
        if (scratch != null) {
            scratch.delete();
        }
    }

    /**
     * How to stop the run. With SIGINT ignored (see {@link IgnoredSignals}) Ctrl-C does nothing at all, so the hint
     * names SIGTERM, which runs the same shutdown hook.
     */
    static String stopHint(boolean sigintIgnored, long pid) {
        if (!sigintIgnored) {
            return "  Ctrl-C stops the job.";
        }
        return "  Ctrl-C cannot stop the job: this process was started with SIGINT ignored (as a non-interactive"
                + " shell starts its background commands); stop it with 'kill " + pid + "' (SIGTERM).";
    }

    private static void requireFree(int port, String key) {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new UsageException("run: port " + port + " on 127.0.0.1 is in use; set another with --set " + key
                    + "=PORT");
        }
    }
}
