package dev.anomaly.job.graph;

import dev.anomaly.job.files.DirectoryTrees;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * Stops a running job so that its sinks finish their work: a stop with a savepoint, whose final barrier makes every
 * sink flush and commit (the exactly-once Kafka sink commits its open transaction, the VictoriaMetrics write-back
 * sends its buffered lines), where a cancel would throw away everything since the last checkpoint. For the embedded
 * run, which never restores: the savepoint only carries the stop and is deleted afterwards. If the stop cannot be
 * taken (the job failing or already ending, a savepoint that does not complete in time) the job is cancelled.
 */
public final class JobStop {

    /** How the job ended. */
    public enum Outcome {
        /** Stopped with a savepoint: every sink flushed and committed. */
        STOPPED,
        /** Cancelled: what the sinks held since the last checkpoint is lost. */
        CANCELLED
    }

    private JobStop() {
    }

    /**
     * Stops {@code job} with a savepoint under {@code savepointDir} (deleted afterwards), waiting up to
     * {@code timeout}; cancels it if that fails.
     */
    public static Outcome stop(JobClient job, Path savepointDir, Duration timeout) {
        try {
            job.stopWithSavepoint(false, savepointDir.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Outcome.STOPPED;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // already ended, or the cluster is going down anyway
            }
            return Outcome.CANCELLED;
        } finally {
            DirectoryTrees.deleteQuietly(savepointDir);
        }
    }
}
