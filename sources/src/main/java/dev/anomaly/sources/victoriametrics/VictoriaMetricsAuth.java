package dev.anomaly.sources.victoriametrics;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/** How the source authenticates to VictoriaMetrics (or a vmauth / reverse proxy in front of it). */
public final class VictoriaMetricsAuth implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final VictoriaMetricsAuth NONE = new VictoriaMetricsAuth(null, null, null);

    private final String user;
    private final SecretRef password;
    private final SecretRef token;

    private VictoriaMetricsAuth(String user, SecretRef password, SecretRef token) {
        this.user = user;
        this.password = password;
        this.token = token;
    }

    /** No Authorization header. */
    public static VictoriaMetricsAuth none() {
        return NONE;
    }

    /** HTTP basic authentication: {@code user} and a password read from {@code password}. */
    public static VictoriaMetricsAuth basic(String user, SecretRef password) {
        Objects.requireNonNull(user, "user");
        if (user.isEmpty() || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("basic auth user must be non-empty and contain no ':'");
        }
        return new VictoriaMetricsAuth(user, Objects.requireNonNull(password, "password"), null);
    }

    /** {@code Authorization: Bearer <token>} with the token read from {@code token}. */
    public static VictoriaMetricsAuth bearer(SecretRef token) {
        return new VictoriaMetricsAuth(null, null, Objects.requireNonNull(token, "token"));
    }

    /** The Authorization header value; reads the secret now. */
    Optional<String> authorizationHeader() {
        return resolve().map(Credentials::header);
    }

    /** Reads the secret now: the Authorization header, and the secret itself for scrubbing it from texts. */
    Optional<Credentials> resolve() {
        if (token != null) {
            String t = token.resolve();
            return Optional.of(new Credentials("Bearer " + t, t));
        }
        if (user != null) {
            String p = password.resolve();
            String pair = user + ":" + p;
            return Optional.of(new Credentials("Basic " + Base64.getEncoder().encodeToString(
                    pair.getBytes(StandardCharsets.UTF_8)), p));
        }
        return Optional.empty();
    }

    /** A resolved Authorization header and the secret in it; {@link #toString()} shows neither. */
    static final class Credentials {
        private final String header;
        private final String secret;

        Credentials(String header, String secret) {
            this.header = header;
            this.secret = secret;
        }

        String header() {
            return header;
        }

        /** {@code text} with the header value and the secret replaced by "*****" (e.g. a server's error text). */
        String scrub(String text) {
            if (text == null) {
                return null;
            }
            String headerValue = header.substring(header.indexOf(' ') + 1);
            return text.replace(headerValue, "*****").replace(secret, "*****");
        }

        @Override
        public String toString() {
            return "Credentials{*****}";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VictoriaMetricsAuth other && Objects.equals(user, other.user)
                && Objects.equals(password, other.password) && Objects.equals(token, other.token);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, password, token);
    }

    /** Names the secret sources, never the secrets. */
    @Override
    public String toString() {
        if (token != null) {
            return "bearer(token from " + token + ")";
        }
        if (user != null) {
            return "basic(user=" + user + ", password from " + password + ")";
        }
        return "none";
    }
}
