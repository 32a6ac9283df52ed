package dev.anomaly.sources.replay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Checkpoint form of {@link ReplayEnumeratorState}; version 1 (splits in {@link ReplayFileSplitSerializer} form). */
public final class ReplayEnumeratorStateSerializer implements SimpleVersionedSerializer<ReplayEnumeratorState> {

    public static final ReplayEnumeratorStateSerializer INSTANCE = new ReplayEnumeratorStateSerializer();

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ReplayEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(state.pending().size());
        for (ReplayFileSplit split : state.pending()) {
            ReplayFileSplitSerializer.write(split, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public ReplayEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("replay enumerator state: unknown serializer version " + version
                    + ", this build reads " + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("replay enumerator state: negative split count " + n);
        }
        List<ReplayFileSplit> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pending.add(ReplayFileSplitSerializer.read(in));
        }
        if (in.available() != 0) {
            throw new IOException("replay enumerator state: " + in.available() + " unexpected trailing bytes");
        }
        return new ReplayEnumeratorState(pending);
    }
}
