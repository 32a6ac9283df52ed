package dev.anomaly.sources.victoriametrics;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a secret (password, token) is read from: an environment variable or a file. Only the reference travels
 * with the job graph and appears in {@link #toString()}; the value is read on the task manager when the reader
 * opens its connection and is never logged.
 */
public final class SecretRef implements Serializable {

    private static final long serialVersionUID = 1L;

    private final boolean fromEnv;
    private final String name;

    private SecretRef(boolean fromEnv, String name) {
        this.fromEnv = fromEnv;
        this.name = Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a secret reference needs a non-blank " + (fromEnv ? "environment "
                    + "variable name" : "file path"));
        }
    }

    /** The value of environment variable {@code variable}. */
    public static SecretRef env(String variable) {
        return new SecretRef(true, variable);
    }

    /** The content of file {@code path}, without trailing line breaks. */
    public static SecretRef file(String path) {
        return new SecretRef(false, path);
    }

    /**
     * Reads the secret.
     *
     * @throws IllegalStateException naming the variable or file (never the value) when it is unset, empty or unreadable
     */
    String resolve() {
        String value;
        if (fromEnv) {
            value = System.getenv(name);
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException("environment variable " + name + " is not set or empty");
            }
        } else {
            try {
                value = Files.readString(Path.of(name), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read secret file " + name + ": " + e.getClass().getSimpleName(),
                        e);
            }
            if (value.isEmpty()) {
                throw new IllegalStateException("secret file " + name + " is empty");
            }
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretRef other && fromEnv == other.fromEnv && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fromEnv, name);
    }

    /** {@code env:NAME} or {@code file:PATH}: the reference, never the secret. */
    @Override
    public String toString() {
        return (fromEnv ? "env:" : "file:") + name;
    }
}
