package dev.anomaly.models.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.SarimaEeLstm;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import dev.anomaly.models.hybrid.ThresholdRule;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    static final HybridConfig CONFIG = new HybridConfig(8, 4, 1, 3, 0.01, 32, 5L, 1, -1, 1, 1e-3, 4000, 1000, 20, 0, ThresholdRule.MEAN_K_SIGMA);
    static double[] train;
    static double[] test;
    static TrainedModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainTwoFeatures() {
        Random rnd = new Random(1);
        train = new double[400];
        test = new double[300];
        double noise = 0;
        for (int t = 0; t < train.length + test.length; t++) {
            noise = 0.7 * noise + rnd.nextGaussian();
            double v = 5 + noise + (t == 550 ? 9 : 0);
            if (t < train.length) {
                train[t] = v;
            } else {
                test[t - train.length] = v;
            }
        }
        Map<String, FeatureModel> features = new LinkedHashMap<>();
        features.put("cpu", new SarimaEeLstmTrainer(DetectorMode.HYBRID, CONFIG).keepingCorrection().fit(train));
        features.put("memory", new SarimaEeLstmTrainer(DetectorMode.SARIMA, CONFIG).fit(train).withThreshold(7.5));
        Map<String, TrainingRange> ranges = new LinkedHashMap<>();
        ranges.put("cpu", new TrainingRange("synthetic", train.length, "0", "399", 0.1));
        ranges.put("memory", new TrainingRange("synthetic", train.length, "0", "399", 0.1));
        model = new TrainedModel(features, ranges);
    }

    @Test
    void saveThenLoadGivesIdenticalScores() throws IOException {
        Path file = dir.resolve("model.zip");
        ModelFile.write(model, file);
        TrainedModel loaded = ModelFile.read(file);
        assertThat(loaded.featureNames()).containsExactly("cpu", "memory");
        assertThat(loaded.training()).isEqualTo(model.training());
        for (String f : model.featureNames()) {
            assertThat(loaded.feature(f)).isEqualTo(model.feature(f));
            SarimaEeLstm a = new SarimaEeLstm(model.feature(f));
            SarimaEeLstm b = new SarimaEeLstm(loaded.feature(f));
            a.prime(train);
            b.prime(train);
            for (double v : test) {
                Detection x = a.update(v);
                Detection y = b.update(v);
                assertThat(y).isEqualTo(x);
            }
        }
        assertThat(loaded.feature("memory").thresholdOverride()).isEqualTo(7.5);
        assertThat(loaded.feature("cpu").thresholdOverride()).isNaN();
    }

    /** The origin of bytes kept in state names a series, whose labels may hold any character, NUL included. */
    @Test
    void modelBytesDecodeWhateverCharactersTheirOriginHas() {
        byte[] bytes = ModelFile.toBytes(model);
        String origin = "state of series cpu{instance=\"a\u0000b\"}";
        assertThat(ModelFile.fromBytes(bytes, origin).features()).containsOnlyKeys("cpu", "memory");
        assertThatThrownBy(() -> ModelFile.fromBytes(java.util.Arrays.copyOf(bytes, 10), origin))
                .isInstanceOf(ModelFileException.class).hasMessageContaining(origin);
    }

    /**
     * A model trained by one user is read by the job's: a new file is rw-r--r-- (the temporary file it is written
     * as is owner-only), one that replaces another keeps that one's permissions; no temporary file is left.
     */
    @Test
    void aWrittenModelFileIsReadableByOthersOrKeepsThePermissionsOfTheFileItReplaces() throws IOException {
        Path f = dir.resolve("model.zip");
        ModelFile.write(model, f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
        ModelFile.write(model, f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-rw----");
        assertThat(ModelFile.read(f).features()).containsOnlyKeys("cpu", "memory");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("model.zip");
        }
    }

    @Test
    void missingFeatureNamesWhatTheModelHas() {
        assertThatThrownBy(() -> model.feature("disk")).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("no feature 'disk'").hasMessageContaining("[cpu, memory]");
    }

    @Test
    void corruptAndForeignFilesAreRejectedClearly() throws IOException {
        Path garbage = dir.resolve("garbage.zip");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> ModelFile.read(garbage)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("garbage.zip");
        assertThatThrownBy(() -> ModelFile.read(dir.resolve("absent.zip"))).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("does not exist");

        Path future = zip("future.zip", "{\"format_version\": 99, \"features\": []}");
        assertThatThrownBy(() -> ModelFile.read(future)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("format version 99").hasMessageContaining("reads version 1");

        Path good = dir.resolve("good.zip");
        ModelFile.write(model, good);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.zip");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ModelFile.read(truncated)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("truncated.zip");

        Path noNetwork = zip("nonet.zip", manifestWithoutNetwork(good));
        assertThatThrownBy(() -> ModelFile.read(noNetwork)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("feature 'cpu'").hasMessageContaining("missing from the zip");
    }

    private String manifestWithoutNetwork(Path good) throws IOException {
        try (var zip = new java.util.zip.ZipInputStream(Files.newInputStream(good))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.getName().equals(ModelFile.MANIFEST)) {
                    return new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new IllegalStateException("no manifest");
    }

    private Path zip(String name, String manifest) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(ModelFile.MANIFEST));
            z.write(manifest.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        return f;
    }
}
