package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The block history learned one value at a time gives the same fit as one built from the last {@code capacity} values:
 * after every refresh, a calibrator that learned a long stream one value at a time has the threshold and scores of
 * a fresh one seeded with only the stream's last {@code capacity} values (cut into the same blocks, as capacity is a
 * multiple of 64).
 */
class ErrorCalibratorIncrementalTest {

    @Test
    void incrementalHistoryMatchesASortFromScratch() {
        int capacity = 512;
        Random rnd = new Random(3);
        double[] stream = new double[5000];
        for (int i = 0; i < stream.length; i++) {
            // Heavy-tailed, with ties (rounded) so removal has to find one of several equal values.
            stream[i] = Math.round(Math.exp(rnd.nextGaussian() * 1.5) * 100) / 100.0;
        }
        ErrorCalibrator incremental = new ErrorCalibrator(capacity, 1e-3);
        for (int i = 0; i < stream.length; i++) {
            incremental.learn(stream[i]);
            if ((i + 1) % 64 == 0) {
                ErrorCalibrator fromScratch = new ErrorCalibrator(capacity, 1e-3);
                fromScratch.seed(Arrays.copyOfRange(stream, Math.max(0, i + 1 - capacity), i + 1));
                fromScratch.refresh();
                assertThat(incremental.threshold()).as("threshold after %d", i + 1)
                        .isEqualTo(fromScratch.threshold());
                for (double x : new double[] {0.05, 0.5, 1.0, 3.0, 20.0}) {
                    assertThat(incremental.score(x)).as("score(%s) after %d", x, i + 1)
                            .isEqualTo(fromScratch.score(x));
                }
            }
        }
    }
}
