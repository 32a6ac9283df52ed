package dev.anomaly.models.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogCodeTest {

    @Test
    void decodedValuesAreWithinTheRelativeErrorAndKeepTheOrder() {
        Random rnd = new Random(1);
        double previous = 0;
        char previousCode = 0;
        for (int i = 0; i < 100_000; i++) {
            double x = Math.pow(10, -15 + 30 * rnd.nextDouble());
            double decoded = LogCode.decode(LogCode.encode(x));
            assertThat(decoded).as("%s", x).isCloseTo(x, within(6.8e-4 * x));
            if (x > previous) {
                assertThat((int) LogCode.encode(x)).isGreaterThanOrEqualTo(previousCode);
            }
            previous = x;
            previousCode = LogCode.encode(x);
        }
    }

    @Test
    void shiftingByTheStepsOfAFactorMultipliesTheDecodedValue() {
        Random rnd = new Random(2);
        for (int i = 0; i < 10_000; i++) {
            double x = Math.pow(10, -6 + 12 * rnd.nextDouble());
            double f = Math.pow(10, -4 + 8 * rnd.nextDouble());
            double decoded = LogCode.decode(LogCode.shifted(LogCode.encode(x), LogCode.steps(f)));
            assertThat(decoded).as("%s x %s", x, f).isCloseTo(f * x, within(1.4e-3 * f * x));
        }
        assertThat(LogCode.steps(1.0)).isZero();
        assertThat(LogCode.steps(2.0)).isEqualTo(LogCode.PER_OCTAVE);
        assertThat((int) LogCode.shifted((char) 0, 1000)).isZero();
        assertThat((int) LogCode.shifted((char) 5, -1000)).isEqualTo(1);
        assertThat((int) LogCode.shifted((char) 0xFFF0, 1000)).isEqualTo(0xFFFF);
    }

    @Test
    void zeroTinyAndHugeValues() {
        assertThat(LogCode.decode(LogCode.encode(0.0))).isEqualTo(0.0);
        assertThat(LogCode.decode(LogCode.encode(1e-30))).isEqualTo(0.0);
        assertThat(LogCode.decode(LogCode.encode(-1.0))).isEqualTo(0.0);
        assertThat(LogCode.decode(LogCode.encode(1.0))).isEqualTo(1.0);
        assertThat(LogCode.decode(LogCode.encode(1e30))).isCloseTo(Math.scalb(1.0, 64), within(1e17));
    }
}
