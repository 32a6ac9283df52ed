package dev.anomaly.sources.host;

import java.io.IOException;

import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint form of {@link HostMetricsEnumeratorState}: one byte (version 1). */
public final class HostMetricsEnumeratorStateSerializer
        implements SimpleVersionedSerializer<HostMetricsEnumeratorState> {

    public static final HostMetricsEnumeratorStateSerializer INSTANCE = new HostMetricsEnumeratorStateSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(HostMetricsEnumeratorState state) {
        return new byte[] {(byte) (state.splitPending() ? 1 : 0)};
    }

    @Override
    public HostMetricsEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("host metrics enumerator state: unknown serializer version " + version
                    + ", this build reads " + VERSION);
        }
        if (serialized.length != 1 || (serialized[0] & ~1) != 0) {
            throw new IOException("host metrics enumerator state: expected one byte 0 or 1, got "
                    + serialized.length + " bytes");
        }
        return new HostMetricsEnumeratorState(serialized[0] == 1);
    }
}
