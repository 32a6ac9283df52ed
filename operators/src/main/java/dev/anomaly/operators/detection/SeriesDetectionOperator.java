package dev.anomaly.operators.detection;

import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.Sample;
import dev.anomaly.operators.metrics.DetectorMetrics;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

/**
 * The keyed detection operator: {@link SeriesDetectionFunction} plus LSTM inference batched across the series of
 * the subtask ({@link InferenceBatching}). A batch is run, and its results emitted, when it holds
 * {@code batchSize} series, when its oldest result has waited {@code maxDelayMs} (processing time), after the
 * timers of each watermark and before the watermark is passed on (so no result is ever behind the watermark it
 * follows), before each checkpoint barrier (so a checkpoint never holds a half-processed sample: nothing is lost
 * or emitted twice on recovery), and when the input ends. Results of one series keep their order: a series
 * processed again while its result waits completes that result first. Without batching this is exactly
 * {@link KeyedProcessOperator}.
 */
public final class SeriesDetectionOperator extends KeyedProcessOperator<String, Sample, DetectionResult> {
    private static final long serialVersionUID = 1L;

    private final InferenceBatching batching;
    /** The user function, typed (the one Flink opens and calls). */
    private transient SeriesDetectionFunction function;
    private transient DeferredResults deferred;
    private transient boolean delayTimerSet;
    /** Processing time at which the batch got its first result; {@link Long#MIN_VALUE} while it is empty. */
    private transient long batchStartedMs;
    private transient Counter batches;
    private transient Counter batchedSteps;

    public SeriesDetectionOperator(SeriesDetectionFunction function, InferenceBatching batching) {
        super(function);
        this.batching = batching;
    }

    @Override
    public void open() throws Exception {
        function = (SeriesDetectionFunction) userFunction;
        function.startedAt(getProcessingTimeService().getCurrentProcessingTime());
        if (batching.enabled()) {
            deferred = new DeferredResults(batching.batchSize());
            batchStartedMs = Long.MIN_VALUE;
            Collector<DetectionResult> out = new Collector<>() {
                @Override
                public void collect(DetectionResult r) {
                    output.collect(new StreamRecord<>(r, r.timestampMs()));
                }

                @Override
                public void close() {
                }
            };
            function.deferLstmStepsTo(deferred, out);
            MetricGroup group = getMetricGroup().addGroup(DetectorMetrics.GROUP);
            batches = group.counter("inference_batches");
            batchedSteps = group.counter("inference_batched_steps");
        }
        super.open();
    }

    @Override
    public void processElement(StreamRecord<Sample> element) throws Exception {
        super.processElement(element);
        afterCallback();
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        super.onEventTime(timer);
        afterCallback();
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        super.onProcessingTime(timer);
        afterCallback();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (deferred == null) {
            super.processWatermark(mark);
            return;
        }
        // AbstractStreamOperator's own order (this operator has no interruptible timers), with the batch run
        // between the timers the watermark fires and the watermark itself.
        if (timeServiceManager != null) {
            timeServiceManager.advanceWatermark(mark);
        }
        flush();
        output.emitWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    /** LSTM steps computed in batches so far (the {@code inference_batched_steps} counter); 0 without batching. */
    long batchedSteps() {
        return batchedSteps == null ? 0 : batchedSteps.getCount();
    }

    /** After a keyed callback: runs a full batch, and makes sure a waiting batch has its max-delay timer. */
    private void afterCallback() throws Exception {
        if (deferred == null || deferred.isEmpty()) {
            return;
        }
        if (deferred.isFull()) {
            flush();
            return;
        }
        if (batchStartedMs == Long.MIN_VALUE) {
            batchStartedMs = getProcessingTimeService().getCurrentProcessingTime();
        }
        if (!delayTimerSet) {
            armDelayTimer(batchStartedMs + batching.maxDelayMs());
        }
    }

    private void armDelayTimer(long at) {
        delayTimerSet = true;
        getProcessingTimeService().registerTimer(at, this::onMaxDelay);
    }

    /** The max-delay timer: runs the batch if its oldest result is due, else waits for that result. */
    private void onMaxDelay(long time) throws Exception {
        delayTimerSet = false;
        if (deferred.isEmpty()) {
            return;
        }
        long due = batchStartedMs + batching.maxDelayMs();
        if (time >= due) {
            flush();
        } else {
            armDelayTimer(due);
        }
    }

    /** Runs the batch and completes its results, each under its series' key; the current key is restored. */
    private void flush() throws Exception {
        if (deferred == null || deferred.isEmpty()) {
            return;
        }
        batchStartedMs = Long.MIN_VALUE;
        Object key = getCurrentKey();
        for (DeferredResults.Deferred d : deferred.drain()) {
            setCurrentKey(d.seriesId());
            function.complete(d);
        }
        batches.inc();
        batchedSteps.inc(deferred.lastBatchedSteps());
        if (key != null) {
            setCurrentKey(key);
        }
    }
}
