package dev.anomaly.sources.victoriametrics;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Version 1: count + assigned feature names, count + unassigned splits (as {@link QuerySplitSerializer} writes them). */
public final class QueryEnumeratorStateSerializer implements SimpleVersionedSerializer<QueryEnumeratorState> {

    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(QueryEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.assignedFeatures().size());
            for (String f : state.assignedFeatures()) {
                QuerySplitSerializer.writeString(f, out);
            }
            out.writeInt(state.unassigned().size());
            for (QuerySplit s : state.unassigned()) {
                QuerySplitSerializer.write(s, out);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public QueryEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown VictoriaMetrics enumerator state version " + version + " (this build reads "
                    + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int n = in.readInt();
            Set<String> assigned = new LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                assigned.add(QuerySplitSerializer.readString(in));
            }
            int m = in.readInt();
            List<QuerySplit> unassigned = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                unassigned.add(QuerySplitSerializer.read(in));
            }
            return new QueryEnumeratorState(assigned, unassigned);
        }
    }
}
