package dev.anomaly.operators.detection;

import dev.anomaly.models.records.ModelState;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The explicit serializer of {@link SeriesState} (no Kryo, no POJO reflection). Every record starts with a format
 * version byte, so a later build can still read state written by this one: bump {@link #FORMAT_VERSION} when the
 * layout changes and keep a reader for the old version.
 *
 * <p>Format 1: version, feature, metric, labels, last timestamp, next training point, pending (count, then
 * timestamp/value pairs), warm-up history (count, values), model stage, fully-trained flag, self-trained model bytes
 * (length or -1), detector state bytes (length or -1).
 *
 * <p>Format 2 (written since the series TTL, {@code scoring.series-ttl}): format 1 followed by the processing time
 * the series' last sample arrived and the processing time of its registered expiry timer (each
 * {@link SeriesState#NONE} = Long.MIN_VALUE when unknown / none). Format 1 records are still read: both times are
 * then unknown, and the series' expiry timer is registered by its next sample.
 *
 * <p>Format 3 (written since exact fits are trained again from their first departure): format 2 followed by the
 * exact-fit flag ({@link SeriesState#exactFit}). Older records read it as false: a model restored from them is
 * re-estimated on its schedule only, as before.
 */
public final class SeriesStateSerializer extends TypeSerializer<SeriesState> {
    private static final long serialVersionUID = 1L;
    /** The format this build writes. */
    static final int FORMAT_VERSION = 3;
    /** The oldest format this build still reads. */
    static final int OLDEST_READABLE_VERSION = 1;
    private static final ModelState[] STAGES = ModelState.values();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<SeriesState> duplicate() {
        return this;
    }

    @Override
    public SeriesState createInstance() {
        return new SeriesState();
    }

    /**
     * A deep copy. The immutable parts (the decoded model, byte arrays that are never written in place) are
     * shared; the live detector is captured as bytes and restored lazily by the copy's user.
     */
    @Override
    public SeriesState copy(SeriesState from) {
        SeriesState c = new SeriesState();
        c.feature = from.feature;
        c.metric = from.metric;
        c.labels = from.labels;
        c.lastTimestampMs = from.lastTimestampMs;
        c.nextTrainingAt = from.nextTrainingAt;
        c.pending.putAll(from.pending);
        c.history = from.history.clone();
        c.historySize = from.historySize;
        c.stage = from.stage;
        c.fullyTrained = from.fullyTrained;
        c.exactFit = from.exactFit;
        c.selfTrainedModel = from.selfTrainedModel;
        c.detectorState = from.detector != null ? from.detector.snapshotState() : from.detectorState;
        c.model = from.model;
        c.lastSeenMs = from.lastSeenMs;
        c.expiryTimerMs = from.expiryTimerMs;
        return c;
    }

    @Override
    public SeriesState copy(SeriesState from, SeriesState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SeriesState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        writeString(s.feature, out);
        writeString(s.metric, out);
        out.writeInt(s.labels.size());
        for (Map.Entry<String, String> e : s.labels.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        out.writeLong(s.lastTimestampMs);
        out.writeInt(s.nextTrainingAt);
        out.writeInt(s.pending.size());
        for (Map.Entry<Long, Double> e : s.pending.entrySet()) {
            out.writeLong(e.getKey());
            out.writeDouble(e.getValue());
        }
        out.writeInt(s.historySize);
        for (int i = 0; i < s.historySize; i++) {
            out.writeDouble(s.history[i]);
        }
        out.writeByte(s.stage.ordinal());
        out.writeBoolean(s.fullyTrained);
        writeBytes(s.selfTrainedModel, out);
        writeBytes(s.detector != null ? s.detector.snapshotState() : s.detectorState, out);
        out.writeLong(s.lastSeenMs);
        out.writeLong(s.expiryTimerMs);
        out.writeBoolean(s.exactFit);
    }

    @Override
    public SeriesState deserialize(DataInputView in) throws IOException {
        int version = in.readUnsignedByte();
        if (version < OLDEST_READABLE_VERSION || version > FORMAT_VERSION) {
            throw new IOException("series state has format version " + version + "; this build reads versions "
                    + OLDEST_READABLE_VERSION + " to " + FORMAT_VERSION
                    + " (restore with the build that wrote it, or start without state)");
        }
        SeriesState s = new SeriesState();
        s.feature = readString(in);
        s.metric = readString(in);
        int labels = in.readInt();
        java.util.TreeMap<String, String> map = new java.util.TreeMap<>();
        for (int i = 0; i < labels; i++) {
            map.put(in.readUTF(), in.readUTF());
        }
        s.labels = java.util.Collections.unmodifiableSortedMap(map);
        s.lastTimestampMs = in.readLong();
        s.nextTrainingAt = in.readInt();
        int pending = in.readInt();
        for (int i = 0; i < pending; i++) {
            s.pending.put(in.readLong(), in.readDouble());
        }
        s.historySize = in.readInt();
        s.history = new double[s.historySize];
        for (int i = 0; i < s.historySize; i++) {
            s.history[i] = in.readDouble();
        }
        int stage = in.readUnsignedByte();
        if (stage >= STAGES.length) {
            throw new IOException("series state has unknown model stage " + stage);
        }
        s.stage = STAGES[stage];
        s.fullyTrained = in.readBoolean();
        s.selfTrainedModel = readBytes(in);
        s.detectorState = readBytes(in);
        if (version >= 2) {
            s.lastSeenMs = in.readLong();
            s.expiryTimerMs = in.readLong();
        }
        if (version >= 3) {
            s.exactFit = in.readBoolean();
        }
        return s;
    }

    @Override
    public SeriesState deserialize(SeriesState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeString(String v, DataOutputView out) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeUTF(v);
        }
    }

    private static String readString(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeBytes(byte[] b, DataOutputView out) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesStateSerializer;
    }

    @Override
    public int hashCode() {
        return SeriesStateSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<SeriesState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot: stateless; the per-record version byte carries format changes. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SeriesState> {
        public Snapshot() {
            super(SeriesStateSerializer::new);
        }
    }
}
