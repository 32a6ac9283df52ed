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
 * Writes the detector-state fixture of format 2 (ring + sorted calibration history) with the code of commit 8fa28b3:
 * the model file, the state after 4,500 updates (the 4,096-value ring has wrapped), and the next 600 inputs with the
 * MSE, threshold and decision that code produced for them. Run once with -Dfixture.write=true.
 */
class V2StateFixtureGenerator {

    @Test
    @EnabledIfSystemProperty(named = "fixture.write", matches = "true")
    void write() throws Exception {
        int train = 600;
        int run = 4500;
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
        Files.write(dir.resolve("v2-model.bin"), ModelFile.toBytes(new TrainedModel(Map.of("f", model),
                Map.of("f", new TrainingRange("synthetic", train, "0", String.valueOf(train), 0.0)))));
        Files.write(dir.resolve("v2-state.bin"), d.snapshotState());
        StringBuilder csv = new StringBuilder("value,mse,threshold,anomaly\n");
        for (int t = train + run; t < y.length; t++) {
            Detection r = d.update(y[t]);
            csv.append(Double.toString(y[t])).append(',').append(Double.toString(r.mse())).append(',')
                    .append(Double.toString(r.threshold())).append(',').append(r.anomaly()).append('\n');
        }
        Files.writeString(dir.resolve("v2-continuation.csv"), csv.toString());
    }
}
