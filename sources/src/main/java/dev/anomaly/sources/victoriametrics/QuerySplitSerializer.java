package dev.anomaly.sources.victoriametrics;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Version 1: feature (UTF-8, length-prefixed), query (same), lastEndMs (long). */
public final class QuerySplitSerializer implements SimpleVersionedSerializer<QuerySplit> {

    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(QuerySplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public QuerySplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown VictoriaMetrics split serializer version " + version + " (this build reads "
                    + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static void write(QuerySplit split, DataOutputStream out) throws IOException {
        writeString(split.feature(), out);
        writeString(split.query(), out);
        out.writeLong(split.lastEndMs());
    }

    static QuerySplit read(DataInputStream in) throws IOException {
        String feature = readString(in);
        String query = readString(in);
        return new QuerySplit(feature, query, in.readLong());
    }

    static void writeString(String s, DataOutputStream out) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 16 << 20) {
            throw new IOException("corrupt VictoriaMetrics split state: string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
