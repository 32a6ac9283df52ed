package dev.anomaly.models.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.anomaly.models.preprocessing.WindowBuilder;
import dev.anomaly.models.preprocessing.Windows;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LstmTrainerTest {

    private static final int SEQ_LEN = 16;

    @Test
    void learnsASineWaveFarBelowItsVariance() {
        double[] series = LstmTestData.sine(240, 20, 0.0, 1);
        Windows windows = new WindowBuilder(SEQ_LEN).build(series);
        LstmConfig config = new LstmConfig(1, 8, SEQ_LEN, 8, 1e-2, 16, 42L, 0.2, 3);

        LstmTrainingResult result = new LstmTrainer(config).train(windows);

        double variance = 0.5; // of sin(t) over whole periods
        assertThat(result.validationMse()[0]).isGreaterThan(result.bestValidationMse());
        assertThat(result.bestValidationMse()).isLessThan(0.02 * variance);
        assertThat(result.trainingLoss()).hasSize(result.epochsRun());
    }

    @Test
    void keepsTheBestEpochAndItsCopyPredictsLikeTheNetwork() {
        Windows windows = new WindowBuilder(SEQ_LEN).build(LstmTestData.sine(120, 20, 0.3, 2));
        LstmConfig config = new LstmConfig(1, 6, SEQ_LEN, 6, 5e-2, 16, 3L, 0.25, 2);

        LstmTrainingResult result = new LstmTrainer(config).train(windows);

        int validationStart = windows.size() - (int) Math.floor(windows.size() * config.validationFraction());
        double[][] validationX = Arrays.copyOfRange(windows.x(), validationStart, windows.size());
        double[] predicted = new LstmForwardPass(result.weights()).predictBatch(validationX);
        double[] reference = LstmTestData.dl4jOutput(result.network(), validationX);
        double mse = 0;
        for (int i = 0; i < predicted.length; i++) {
            assertThat(predicted[i]).isCloseTo(reference[i], within(1e-6));
            double d = predicted[i] - windows.y()[validationStart + i];
            mse += d * d / predicted.length;
        }
        assertThat(mse).isCloseTo(result.bestValidationMse(), within(1e-9));
        for (double epochMse : result.validationMse()) {
            assertThat(epochMse).isGreaterThanOrEqualTo(result.bestValidationMse());
        }
    }

    @Test
    void stopsEarlyWhenValidationStopsImproving() {
        // Pure noise: nothing to learn, so validation MSE soon stops improving.
        Windows windows = new WindowBuilder(8).build(LstmTestData.sine(150, 1e9, 1.0, 5));
        LstmConfig config = new LstmConfig(1, 4, 8, 200, 5e-2, 32, 9L, 0.3, 3);

        LstmTrainingResult result = new LstmTrainer(config).train(windows);

        assertThat(result.epochsRun()).isLessThan(config.epochs());
        assertThat(result.epochsRun() - 1 - result.bestEpoch()).isEqualTo(config.patience());
    }

    @Test
    void sameSeedGivesIdenticalWeights() {
        Windows windows = new WindowBuilder(SEQ_LEN).build(LstmTestData.sine(80, 20, 0.1, 4));
        LstmConfig config = new LstmConfig(2, 5, SEQ_LEN, 2, 1e-2, 16, 123L, 0.2, 2);

        LstmWeights first = new LstmTrainer(config).train(windows).weights();
        LstmWeights second = new LstmTrainer(config).train(windows).weights();
        LstmWeights otherSeed = new LstmTrainer(
                new LstmConfig(2, 5, SEQ_LEN, 2, 1e-2, 16, 124L, 0.2, 2)).train(windows).weights();

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void withoutValidationRunsEveryEpoch() {
        Windows windows = new WindowBuilder(8).build(LstmTestData.sine(60, 10, 0.0, 6));
        LstmConfig config = new LstmConfig(1, 3, 8, 3, 1e-2, 16, 1L, 0.0, 1);

        LstmTrainingResult result = new LstmTrainer(config).train(windows);

        assertThat(result.epochsRun()).isEqualTo(3);
        assertThat(result.validationMse()).isEmpty();
        assertThat(result.bestValidationMse()).isNaN();
        assertThat(result.bestEpoch()).isEqualTo(2);
    }

    @Test
    void rejectsWindowsOfTheWrongLength() {
        LstmTrainer trainer = new LstmTrainer(LstmTestData.config(1, 3, 10));

        assertThatThrownBy(() -> trainer.train(new double[][] {new double[9]}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seqLen is 10");
        assertThatThrownBy(() -> trainer.train(new double[0][], new double[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
