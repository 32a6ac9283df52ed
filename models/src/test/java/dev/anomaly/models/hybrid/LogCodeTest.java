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
    void zeroTinyAndHugeValues() {
        assertThat(LogCode.decode(LogCode.encode(0.0))).isEqualTo(0.0);
        assertThat(LogCode.decode(LogCode.encode(1e-30))).isEqualTo(0.0);
        assertThat(LogCode.decode(LogCode.encode(-1.0))).isEqualTo(0.0);
        assertThat(LogCode.decode(LogCode.encode(1.0))).isEqualTo(1.0);
        assertThat(LogCode.decode(LogCode.encode(1e30))).isCloseTo(Math.scalb(1.0, 64), within(1e17));
    }
}
