package dev.anomaly.sources.replay;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/** Checkpoint form of {@link ReplayFileSplit}; version 1. */
public final class ReplayFileSplitSerializer implements SimpleVersionedSerializer<ReplayFileSplit> {

    public static final ReplayFileSplitSerializer INSTANCE = new ReplayFileSplitSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ReplayFileSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        write(split, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public ReplayFileSplit deserialize(int version, byte[] serialized) throws IOException {
        checkVersion(version);
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        ReplayFileSplit split = read(in);
        if (in.available() != 0) {
            throw new IOException("replay split: " + in.available() + " unexpected trailing bytes");
        }
        return split;
    }

    static void checkVersion(int version) throws IOException {
        if (version != VERSION) {
            throw new IOException("replay split: unknown serializer version " + version + ", this build reads "
                    + VERSION);
        }
    }

    static void write(ReplayFileSplit split, DataOutputView out) throws IOException {
        out.writeInt(split.index());
        out.writeUTF(split.path());
        out.writeUTF(split.feature());
        out.writeInt(split.labels().size());
        for (Map.Entry<String, String> e : split.labels().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        out.writeLong(split.linesConsumed());
        out.writeBoolean(split.shiftMs() != null);
        if (split.shiftMs() != null) {
            out.writeLong(split.shiftMs());
        }
    }

    static ReplayFileSplit read(DataInputView in) throws IOException {
        int index = in.readInt();
        String path = in.readUTF();
        String feature = in.readUTF();
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("replay split: negative label count " + n);
        }
        TreeMap<String, String> labels = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            labels.put(in.readUTF(), in.readUTF());
        }
        long lines = in.readLong();
        Long shift = in.readBoolean() ? in.readLong() : null;
        return new ReplayFileSplit(index, path, feature, labels, lines, shift);
    }
}
