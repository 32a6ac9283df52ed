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
 * Writes the detector-state fixture of format 4 (compact calibration blocks, value range) with the code of commit
 * d9b09ff: the model file, the state after 4,537 updates (the block being filled holds 57 values), and the next
 * 600 inputs with the MSE, threshold and decision that code produced for them. Run once with
 * -Dfixture.write=true.
 */
class V4StateFixtureGenerator {

    @Test
    @EnabledIfSystemProperty(named = "fixture.write", matches = "true")
    void write() throws Exception {
        int train = 600;
        int run = 4537;
        int after = 600;
        SyntheticAnomalies.Series s = SyntheticAnomalies.withAnomalies(train + run + after, train + 400, 700, 21);
        double[] y = s.values();
        FeatureModel model = new SarimaEeLstmTrainer(DetectorMode.HYBRID,
                SarimaEeLstmTest.CONFIG.withLstmState(LstmStateMode.CARRIED)).fit(Arrays.copyOf(y, train));
        SarimaEeLstm d = new SarimaEeLstm(model);
        for (int t = train; t < train + run; t++) {
            d.update(y[t]);
        }
        Path dir = Path.of("src/test/resources/detector-state");
        Files.write(dir.resolve("v4-model.bin"), ModelFile.toBytes(new TrainedModel(Map.of("f", model),
                Map.of("f", new TrainingRange("synthetic", train, "0", String.valueOf(train), 0.0)))));
        Files.write(dir.resolve("v4-state.bin"), d.snapshotState());
        StringBuilder csv = new StringBuilder("value,mse,threshold,anomaly\n");
        for (int t = train + run; t < y.length; t++) {
            Detection r = d.update(y[t]);
            csv.append(Double.toString(y[t])).append(',').append(Double.toString(r.mse())).append(',')
                    .append(Double.toString(r.threshold())).append(',').append(r.anomaly()).append('\n');
        }
        Files.writeString(dir.resolve("v4-continuation.csv"), csv.toString());
    }
}
