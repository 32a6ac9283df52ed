package dev.anomaly.sources.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomaly.models.records.DeadLetter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The JSON form of a dead letter on a dead-letter topic:
 * {@code {"origin":"kafka:t/0@12","reason":"invalid_json","detail":"...","payload_base64":"...","seen_at_ms":1}}.
 */
public final class DeadLetterJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterJson() {
    }

    public static byte[] encode(DeadLetter d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("origin", d.origin());
        o.put("reason", d.reason());
        o.put("detail", d.detail());
        o.put("payload_base64", Base64.getEncoder().encodeToString(d.payload()));
        o.put("seen_at_ms", d.seenAtMs());
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException when the bytes are not a dead letter's JSON */
    public static DeadLetter decode(byte[] json) {
        try {
            JsonNode o = JSON.readTree(json);
            for (String field : new String[] {"origin", "reason", "detail", "payload_base64", "seen_at_ms"}) {
                if (o == null || !o.hasNonNull(field)) {
                    throw new IllegalArgumentException("dead letter JSON lacks " + field);
                }
            }
            return new DeadLetter(o.get("origin").asText(), o.get("reason").asText(), o.get("detail").asText(),
                    Base64.getDecoder().decode(o.get("payload_base64").asText()), o.get("seen_at_ms").asLong());
        } catch (IOException e) {
            throw new IllegalArgumentException("not a dead letter: " + e.getMessage(), e);
        }
    }
}
