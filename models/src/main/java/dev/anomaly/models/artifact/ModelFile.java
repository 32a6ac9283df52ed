package dev.anomaly.models.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.lstm.LstmWeights;
import dev.anomaly.models.lstm.LstmWeightsFormat;
import dev.anomaly.models.preprocessing.RobustScaler;
import dev.anomaly.models.preprocessing.Scaler;
import dev.anomaly.models.preprocessing.StandardScaler;
import dev.anomaly.models.sarima.SarimaException;
import dev.anomaly.models.sarima.SarimaModel;
import dev.anomaly.models.sarima.SarimaOrder;
import dev.anomaly.models.sarima.SarimaParams;
import dev.anomaly.models.sarima.SarimaSpec;
import dev.anomaly.models.sarima.Trend;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The model file at MODEL_PATH: one zip holding {@code manifest.json} (format version, features, each feature's
 * mode, SARIMA spec and parameters, scaler, calibration sample, threshold, training range, settings, versions) and
 * one {@code lstm/<n>.bin} network per feature that has one. Reading validates everything and fails with a message
 * that names the file and the problem.
 */
public final class ModelFile {
    /** The manifest format this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    static final String MANIFEST = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFile() {
    }

    /**
     * Writes {@code model} to {@code file} atomically and durably: a temporary file, forced to disk, renamed into
     * place. The file gets the permissions of the one it replaces, else {@code rw-r--r--} (a temporary file is
     * created owner-only, and a model trained by one user is read by the job's, e.g. {@code flink}).
     */
    public static void write(TrainedModel model, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                write(model, out);
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true); // the bytes on disk before the rename makes them the model
            }
            setPermissions(tmp, file);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void setPermissions(Path tmp, Path file) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(file) ? Files.getPosixFilePermissions(file)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, permissions);
    }

    /** The model file's bytes (what {@link #write(TrainedModel, Path)} writes), e.g. to keep a model in Flink state. */
    public static byte[] toBytes(TrainedModel model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(model, out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(TrainedModel model, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format_version", FORMAT_VERSION);
            manifest.put("created", Instant.now().toString());
            ObjectNode versions = manifest.putObject("versions");
            versions.put("anomaly", String.valueOf(ModelFile.class.getPackage().getImplementationVersion()));
            versions.put("java", System.getProperty("java.version"));
            ArrayNode features = manifest.putArray("features");
            int index = 0;
            for (Map.Entry<String, FeatureModel> e : model.features().entrySet()) {
                FeatureModel m = e.getValue();
                ObjectNode f = features.addObject();
                f.put("name", e.getKey());
                f.put("mode", m.mode().cliName());
                f.set("config", JSON.valueToTree(m.config()));
                if (m.sarima() != null) {
                    f.set("sarima", sarima(m.sarima()));
                }
                ObjectNode scaler = f.putObject("scaler");
                scaler.put("type", m.scaler() instanceof RobustScaler ? "robust" : "standard");
                scaler.put("center", m.scaler().center());
                scaler.put("scale", m.scaler().scale());
                if (Double.isNaN(m.thresholdOverride())) {
                    f.putNull("threshold");
                } else {
                    f.put("threshold", m.thresholdOverride());
                }
                f.set("calibration_sample", JSON.valueToTree(m.calibrationSample()));
                f.set("training", JSON.valueToTree(model.training().get(e.getKey())));
                if (m.lstm() != null) {
                    String entry = "lstm/" + index + ".bin";
                    f.put("lstm", entry);
                    zip.putNextEntry(new ZipEntry(entry));
                    LstmWeightsFormat.write(m.lstm(), zip);
                    zip.closeEntry();
                }
                index++;
            }
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(JSON.writeValueAsBytes(manifest));
            zip.closeEntry();
        }
    }

    /**
     * Reads and validates a model file.
     *
     * @throws ModelFileException if the file is missing, not a model zip, of an unknown format version, or any
     *     entry is missing or inconsistent
     */
    public static TrainedModel read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ModelFileException("model file " + file + " does not exist (train one with 'anomaly train')");
        } catch (ZipException e) {
            throw new ModelFileException("model file " + file + " is corrupt: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFileException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads and validates model file bytes ({@link #toBytes}); {@code origin} names them in error messages.
     *
     * @throws ModelFileException as {@link #read(Path)}
     */
    public static TrainedModel fromBytes(byte[] bytes, String origin) {
        try {
            // origin is text for messages only: it may hold any character of a series' labels (a NUL, which
            // Path.of refuses, once made a restored job fail on every sample of that series)
            return read(new java.io.ByteArrayInputStream(bytes), origin);
        } catch (ZipException e) {
            throw new ModelFileException("model " + origin + " is corrupt: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFileException("cannot read model " + origin + ": " + e.getMessage(), e);
        }
    }

    /** Reads a model from {@code in}; {@code file} names it in error messages. */
    private static TrainedModel read(InputStream in, String file) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        ZipInputStream zip = new ZipInputStream(in);
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            entries.put(entry.getName(), readAll(zip));
        }
        byte[] manifestBytes = entries.get(MANIFEST);
        if (manifestBytes == null) {
            throw new ModelFileException("model file " + file + " is corrupt or not a model file: no " + MANIFEST);
        }
        try {
            return parse(JSON.readTree(manifestBytes), entries, file);
        } catch (IOException e) {
            throw new ModelFileException("model file " + file + ": " + MANIFEST + " is not valid JSON: "
                    + e.getMessage(), e);
        }
    }

    private static TrainedModel parse(JsonNode manifest, Map<String, byte[]> entries, String file)
            throws IOException {
        int version = required(manifest, "format_version", file).asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ModelFileException("model file " + file + " has format version " + version + "; this build"
                    + " reads version " + FORMAT_VERSION + " (retrain the model with this build)");
        }
        JsonNode features = required(manifest, "features", file);
        if (!features.isArray() || features.isEmpty()) {
            throw new ModelFileException("model file " + file + " lists no features");
        }
        Map<String, FeatureModel> models = new LinkedHashMap<>();
        Map<String, TrainingRange> training = new LinkedHashMap<>();
        for (JsonNode f : features) {
            String name = required(f, "name", file).asText();
            String where = "model file " + file + ", feature '" + name + "'";
            if (models.containsKey(name)) {
                throw new ModelFileException(where + ": listed twice");
            }
            try {
                DetectorMode mode = DetectorMode.parse(required(f, "mode", file).asText());
                HybridConfig config = JSON.treeToValue(required(f, "config", file), HybridConfig.class);
                SarimaModel sarima = f.hasNonNull("sarima") ? sarima(f.get("sarima"), where) : null;
                JsonNode s = required(f, "scaler", file);
                double center = required(s, "center", file).asDouble();
                double scale = required(s, "scale", file).asDouble();
                Scaler scaler = switch (required(s, "type", file).asText()) {
                    case "robust" -> new RobustScaler(center, scale);
                    case "standard" -> new StandardScaler(center, scale);
                    default -> throw new ModelFileException(where + ": unknown scaler type " + s.get("type"));
                };
                LstmWeights lstm = null;
                if (f.hasNonNull("lstm")) {
                    byte[] bytes = entries.get(f.get("lstm").asText());
                    if (bytes == null) {
                        throw new ModelFileException(where + ": network entry " + f.get("lstm").asText()
                                + " is missing from the zip");
                    }
                    lstm = LstmWeightsFormat.fromBytes(bytes);
                }
                double[] sample = JSON.treeToValue(required(f, "calibration_sample", file), double[].class);
                double threshold = f.hasNonNull("threshold") ? f.get("threshold").asDouble() : Double.NaN;
                models.put(name, new FeatureModel(mode, sarima, scaler, lstm, sample, threshold, config));
                training.put(name, JSON.treeToValue(required(f, "training", file), TrainingRange.class));
            } catch (SarimaException | IllegalArgumentException | IOException e) {
                throw new ModelFileException(where + ": " + e.getMessage(), e);
            }
        }
        return new TrainedModel(models, training);
    }

    private static ObjectNode sarima(SarimaModel m) {
        ObjectNode n = JSON.createObjectNode();
        SarimaOrder o = m.spec().order();
        n.set("order", JSON.valueToTree(new int[] {o.p(), o.d(), o.q()}));
        n.set("seasonal_order", JSON.valueToTree(new int[] {o.seasonalP(), o.seasonalD(), o.seasonalQ(), o.period()}));
        n.put("trend", m.spec().trend().code());
        n.set("param_names", JSON.valueToTree(m.spec().parameterNames()));
        n.set("params", JSON.valueToTree(m.params().toVector(m.spec())));
        return n;
    }

    private static SarimaModel sarima(JsonNode n, String where) throws IOException {
        int[] o = JSON.treeToValue(n.get("order"), int[].class);
        int[] so = JSON.treeToValue(n.get("seasonal_order"), int[].class);
        if (o == null || o.length != 3 || so == null || so.length != 4) {
            throw new ModelFileException(where + ": SARIMA order must be [p,d,q] and seasonal_order [P,D,Q,s]");
        }
        SarimaSpec spec = new SarimaSpec(new SarimaOrder(o[0], o[1], o[2], so[0], so[1], so[2], so[3]),
                Trend.fromCode(n.path("trend").asText("n")));
        double[] params = JSON.treeToValue(n.get("params"), double[].class);
        return new SarimaModel(spec, SarimaParams.fromVector(spec, params == null ? new double[0] : params));
    }

    private static JsonNode required(JsonNode node, String field, String file) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ModelFileException("model file " + file + ": " + MANIFEST + " lacks '" + field + "'");
        }
        return v;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
