package dev.anomaly.sources.host;

import java.io.IOException;

import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint form of {@link HostMetricsSplit}: no bytes (version 1). */
public final class HostMetricsSplitSerializer implements SimpleVersionedSerializer<HostMetricsSplit> {

    public static final HostMetricsSplitSerializer INSTANCE = new HostMetricsSplitSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(HostMetricsSplit split) {
        return new byte[0];
    }

    @Override
    public HostMetricsSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("host metrics split: unknown serializer version " + version + ", this build reads "
                    + VERSION);
        }
        if (serialized.length != 0) {
            throw new IOException("host metrics split: expected no bytes, got " + serialized.length);
        }
        return new HostMetricsSplit();
    }
}
