package dev.anomaly.operators.detection;

import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.SMALL;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.STEP;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.feed;
import static dev.anomaly.operators.detection.SeriesDetectionFunctionTest.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.SarimaEeLstm;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import dev.anomaly.models.records.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Full-mode self-trainings off the processing path: started when the history is due, in effect
 * {@code trainingLagSamples} samples later, with the same results whoever runs them and across a restore in between.
 */
class BackgroundSelfTrainingTest {
    static final int WARMUP = 20;
    static final int FULL = 60;
    static final int LAG = 5;
    static final int N = 160;

    static DetectionSettings settings(int threads) {
        return new DetectionSettings(DetectorMode.HYBRID, SMALL, null, Map.of(), STEP, WARMUP, FULL, 5, 3, 100, true,
                0, false, LAG, threads, DetectionSettings.DEFAULT_MODEL_CACHE_SIZE);
    }

    /** An executor that only queues its tasks: every training is left to the operator's own thread. */
    static final class Queue implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Sample, DetectionResult> harness(DetectionSettings s,
            Executor trainingsOn) throws Exception {
        SeriesDetectionFunction f = new SeriesDetectionFunction(s);
        if (trainingsOn != null) {
            f.runTrainingsOn(trainingsOn);
        }
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), Sample::seriesId,
                Types.STRING);
    }

    static List<DetectionResult> of(List<DetectionResult> out, String instance) {
        return out.stream().filter(r -> r.labels().get("instance").equals(instance)).toList();
    }

    @Test
    void processingGoesOnWhileTheFullTrainingsWaitAndEachTakesEffectLagSamplesAfterItsHistory() throws Exception {
        double[] y = series(N, 4);
        Queue queue = new Queue();
        try (var h = harness(settings(1), queue)) {
            h.open();
            feed(h, y, 0, FULL + LAG - 1);
            // the early SARIMA fits took effect at once; both series' full trainings were started at sample FULL
            // and have not run, and every sample since is out
            assertThat(queue.tasks).hasSize(2);
            assertThat(h.extractOutputValues()).hasSize(2 * (FULL + LAG - 2));
            feed(h, y, FULL + LAG - 1, N);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(queue.tasks).hasSize(2);
            List<DetectionResult> a = of(h.extractOutputValues(), "a");
            assertThat(a).hasSize(N);
            assertThat(a.subList(0, WARMUP)).allMatch(DetectionResult::warmingUp);
            assertThat(a.get(WARMUP).modelState()).isEqualTo(ModelState.SELF_TRAINED);
            assertThat(a.subList(WARMUP, FULL + LAG)).allMatch(r -> Double.isNaN(r.predictedResidual()));
            assertThat(a.get(FULL + LAG).predictedResidual()).as("the full hybrid from here").isFinite();

            // Independent of the operator: each model trained on the history up to where it was due, primed with
            // the history up to where it takes effect, scores the samples until the next one takes effect.
            assertScoredBy(DetectorMode.SARIMA, y, WARMUP, WARMUP, FULL + LAG, a);
            assertScoredBy(DetectorMode.HYBRID, y, FULL, FULL + LAG, N, a);
        }
    }

    /**
     * A gap before the full training is due: the full training waits until FULL finite values are in (one sample
     * later), is started in the background there and takes effect LAG samples after it, as without the gap. Before,
     * the missing value made the training at FULL the early SARIMA fit again, and the LSTM was trained one sample
     * later at once, on the processing thread.
     */
    @Test
    void aMissingSampleBeforeTheFullTrainingDelaysItByOneSampleAndItStillRunsInTheBackground() throws Exception {
        double[] y = series(N, 7);
        y[30] = Double.NaN;
        Queue queue = new Queue();
        try (var h = harness(settings(1), queue)) {
            h.open();
            feed(h, y, 0, FULL + 1);
            assertThat(queue.tasks).as("nothing started at FULL values, of which one is missing").isEmpty();
            feed(h, y, FULL + 1, FULL + 2);
            assertThat(queue.tasks).as("both series' full trainings started at FULL finite values").hasSize(2);
            feed(h, y, FULL + 2, N);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(queue.tasks).hasSize(2);
            List<DetectionResult> a = of(h.extractOutputValues(), "a");
            assertThat(a).hasSize(N);
            assertThat(a.subList(WARMUP, FULL + 1 + LAG)).allMatch(r -> Double.isNaN(r.predictedResidual()));
            assertThat(a.get(FULL + 1 + LAG).predictedResidual()).as("the full hybrid from here").isFinite();
        }
    }

    private static void assertScoredBy(DetectorMode mode, double[] y, int trainedOn, int from, int to,
                                       List<DetectionResult> out) {
        FeatureModel model = new SarimaEeLstmTrainer(mode, SMALL).fit(Arrays.copyOf(y, trainedOn));
        SarimaEeLstm detector = new SarimaEeLstm(model);
        detector.prime(Arrays.copyOf(y, from));
        assertScored(detector, y, from, to, out);
    }

    /** The operator's results {@code out} for samples [from, to) are those of {@code detector} going on from there. */
    static void assertScored(SarimaEeLstm detector, double[] y, int from, int to, List<DetectionResult> out) {
        for (int t = from; t < to; t++) {
            Detection d = detector.update(y[t]);
            DetectionResult r = out.get(t);
            assertThat(r.prediction()).as("prediction at %d", t).isEqualTo(d.prediction());
            assertThat(r.mse()).as("error at %d", t).isEqualTo(d.mse());
            assertThat(r.threshold()).as("threshold at %d", t).isEqualTo(d.threshold());
            assertThat(r.anomalyScore()).as("score at %d", t).isEqualTo(d.anomalyScore());
            assertThat(r.anomaly()).as("decision at %d", t).isEqualTo(d.anomaly());
        }
    }

    @Test
    void trainingsOnBackgroundThreadsGiveExactlyTheResultsOfTrainingsOnTheProcessingThread() throws Exception {
        double[] y = series(N, 5);
        List<DetectionResult> own;
        try (var h = harness(settings(1), new Queue())) {
            h.open();
            feed(h, y, 0, N);
            h.processWatermark(Long.MAX_VALUE);
            own = new ArrayList<>(h.extractOutputValues());
        }
        try (var h = harness(settings(2), null)) {
            h.open();
            feed(h, y, 0, N);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues().stream().map(SeriesDetectionFunctionTest::fields).toList())
                    .containsExactlyElementsOf(own.stream().map(SeriesDetectionFunctionTest::fields).toList());
        }
    }

    @Test
    void aRestoreBetweenTheStartOfATrainingAndItsEffectTrainsAgainOnTheSameHistory() throws Exception {
        double[] y = series(N, 6);
        List<DetectionResult> reference;
        try (var h = harness(settings(1), null)) {
            h.open();
            feed(h, y, 0, N);
            h.processWatermark(Long.MAX_VALUE);
            reference = new ArrayList<>(h.extractOutputValues());
        }
        // cut between the start of the full training (sample 60) and its effect (sample 65)
        List<DetectionResult> resumed = SeriesDetectionFunctionTest.resumedAcross(() -> harness(settings(1), null), y,
                0, FULL + 3, N);
        assertThat(resumed.stream().map(SeriesDetectionFunctionTest::fields).toList())
                .containsExactlyElementsOf(reference.stream().map(SeriesDetectionFunctionTest::fields).toList());
        assertThat(of(resumed, "a").get(FULL + LAG).predictedResidual()).isFinite();
    }
}
