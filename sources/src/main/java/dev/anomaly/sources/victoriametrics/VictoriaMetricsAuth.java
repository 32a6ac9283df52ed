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
        if (token != null) {
            return Optional.of("Bearer " + token.resolve());
        }
        if (user != null) {
            String pair = user + ":" + password.resolve();
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
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
