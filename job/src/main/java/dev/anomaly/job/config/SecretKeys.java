package dev.anomaly.job.config;

import java.util.regex.Pattern;

/**
 * Which configuration keys hold secrets, so their values are masked in the logged configuration and never quoted
 * in a {@link ConfigException}. A key is secret when any of its dotted parts looks like a password, token, JAAS
 * configuration, private key or credential (e.g. {@code source.kafka.properties.sasl.jaas.config},
 * {@code ssl.key.password}, {@code ssl.keystore.key}, {@code basic.auth.user.info}); keys ending in {@code -env} or
 * {@code -file} name where a secret is read from (an environment variable, a file) and stay visible.
 */
final class SecretKeys {
    static final String MASK = "*****";
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|passwd|secret|token|jaas|credential"
            + "|private|apikey|api-key|api_key|user\\.info|auth-params|basic-auth|account\\.key|keystore\\.key"
            + "|(^|\\.)key$).*");

    private SecretKeys() {
    }

    /** True when the value of {@code dottedKey} is a secret. */
    static boolean isSecret(String dottedKey) {
        return !isPointer(dottedKey) && SECRET.matcher(dottedKey).matches();
    }

    /** {@code password-env}, {@code token-file}: names a variable or file, not the secret itself. */
    static boolean isPointer(String dottedKey) {
        return dottedKey.endsWith("-env") || dottedKey.endsWith("-file");
    }
}
