package dev.anomaly.operators.detection;

import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.hybrid.FeatureModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;

/**
 * The decoded self-trained models of a subtask's series, most recently used first. A state backend that hands out
 * a fresh copy of the state on every read (RocksDB) gives the series' model as model-file bytes each time, and
 * decoding them costs 0.14-0.5 ms (bench/RESULTS.md), hundreds of times the detector's own work on a sample. This
 * keeps the decoded model of up to {@code capacity} series and decodes again only when a series' bytes differ from
 * the ones it was decoded from (a new training, a restore). With the heap backend the live state object keeps its
 * model and this is rarely asked.
 */
final class DecodedModels {
    private final int capacity;
    private final Map<String, Entry> bySeries;
    private final Counter decodes;

    /** A series' model and the bytes it was decoded from. */
    private record Entry(byte[] bytes, FeatureModel model) {
    }

    /**
     * A cache of the decoded models of at most {@code capacity} series (0: decode every time); {@code decodes}
     * counts the model files decoded (each a miss).
     */
    DecodedModels(int capacity, Counter decodes) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.decodes = decodes;
        this.bySeries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > DecodedModels.this.capacity;
            }
        };
    }

    /** The model of {@code feature} in {@code bytes} (the model file of series {@code seriesId}), decoded once. */
    FeatureModel get(String seriesId, String feature, byte[] bytes) {
        Entry e = bySeries.get(seriesId);
        if (e != null && Arrays.equals(e.bytes(), bytes)) { // the same array is equal at once
            return e.model();
        }
        FeatureModel model = ModelFile.fromBytes(bytes, "state of series " + seriesId).feature(feature);
        decodes.inc();
        put(seriesId, bytes, model);
        return model;
    }

    /** Records that {@code bytes} (series {@code seriesId}'s model file) decode to {@code model}. */
    void put(String seriesId, byte[] bytes, FeatureModel model) {
        if (capacity > 0) {
            bySeries.put(seriesId, new Entry(bytes, model));
        }
    }

    /** Drops the model of {@code seriesId}. */
    void forget(String seriesId) {
        bySeries.remove(seriesId);
    }
}
