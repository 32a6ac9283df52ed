package dev.anomaly.models.hybrid;

import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.artifact.TrainedModel;
import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the detector-state fixture of format 5 (calibration blocks of 64 rows) with the code of commit 08d66fa:
 * the model file, the state 10 rows after the first alarm that follows 4,000 updates (its alarm cooldown still
 * open), and the next 600 inputs, the 8th of them raised by 40 (a spike inside that cooldown), with the MSE,
 * threshold and decision that code produced for them. Run once with -Dfixture.write=true.
 */
class V5StateFixtureGenerator {

    @Test
    @EnabledIfSystemProperty(named = "fixture.write", matches = "true")
    void write() throws Exception {
        int train = 600;
        int after = 600;
        SyntheticAnomalies.Series s = SyntheticAnomalies.withAnomalies(train + 6000 + after, train + 400, 700, 23);
        double[] y = s.values();
        FeatureModel model = new SarimaEeLstmTrainer(DetectorMode.HYBRID,
                SarimaEeLstmTest.CONFIG.withLstmState(LstmStateMode.CARRIED)).fit(Arrays.copyOf(y, train));
        SarimaEeLstm d = new SarimaEeLstm(model);
        int t = train;
        int alarmAt = -1;
        while (alarmAt < 0 || t < alarmAt + 11) {
            Detection r = d.update(y[t]);
            if (alarmAt < 0 && t >= train + 4000 && r.anomaly()) {
                alarmAt = t;
            }
            t++;
        }
        Path dir = Path.of("src/test/resources/detector-state");
        Files.write(dir.resolve("v5-model.bin"), ModelFile.toBytes(new TrainedModel(Map.of("f", model),
                Map.of("f", new TrainingRange("synthetic", train, "0", String.valueOf(train), 0.0)))));
        Files.write(dir.resolve("v5-state.bin"), d.snapshotState());
        StringBuilder csv = new StringBuilder("value,mse,threshold,anomaly\n");
        for (int i = 0; i < after; i++) {
            double v = y[t + i] + (i == 7 ? 40.0 : 0.0);
            Detection r = d.update(v);
            csv.append(Double.toString(v)).append(',').append(Double.toString(r.mse())).append(',')
                    .append(Double.toString(r.threshold())).append(',').append(r.anomaly()).append('\n');
        }
        Files.writeString(dir.resolve("v5-continuation.csv"), csv.toString());
        System.out.println("v5 fixture: alarm at " + alarmAt + ", state after row " + (t - 1));
    }
}
