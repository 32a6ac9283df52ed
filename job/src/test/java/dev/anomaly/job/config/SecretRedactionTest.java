package dev.anomaly.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets in the job configuration (Kafka SASL/SSL pass-through properties, Flink properties) never appear in the
 * logged configuration nor in a configuration error; the env/file pointers to secrets stay visible.
 */
class SecretRedactionTest {
    static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"det\""
            + " password=\"jaas-pw-1x\";";
    /** Every secret value below; none may show up anywhere. */
    static final List<String> SECRETS = List.of("jaas-pw-1x", "key-pw-2x", "keystore-pw-3x", "truststore-pw-4x",
            "PRIVATE-KEY-5x", "user:info-6x", "sink-jaas-pw-7x", "s3-secret-8x", "oauth-secret-9x");

    static final String YAML = """
            features:
              cpu: {metric: node_cpu_seconds_total, kind: counter}
            source:
              type: kafka
              kafka:
                properties:
                  security.protocol: SASL_SSL
                  sasl.mechanism: PLAIN
                  sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="det" password="jaas-pw-1x";'
                  ssl.key.password: key-pw-2x
                  ssl.keystore.password: keystore-pw-3x
                  ssl.truststore.password: truststore-pw-4x
                  ssl.keystore.key: "-----BEGIN PRIVATE KEY----- PRIVATE-KEY-5x -----END PRIVATE KEY-----"
                  basic.auth.user.info: user:info-6x
                  sasl.oauthbearer.client.credentials.client.secret: oauth-secret-9x
              victoriametrics:
                username: reader
                password-env: VM_PASSWORD_VARIABLE
                token-file: /run/secrets/vm-token-file
            sinks:
              kafka:
                enabled: true
                properties:
                  security.protocol: SASL_PLAINTEXT
                  sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="w" password="sink-jaas-pw-7x";'
            flink:
              properties:
                s3.secret-key: s3-secret-8x
            """;

    static void assertNoSecret(String text) {
        for (String s : SECRETS) {
            assertThat(text).doesNotContain(s);
        }
    }

    @Test
    void loggedConfigurationMasksEverySecretAndKeepsThePointers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, YAML);
        JobConfig c = ConfigLoader.load(file, List.of("sinks.kafka.properties.ssl\\.truststore\\.password=truststore-pw-4x"));
        String logged = c.redacted();
        assertNoSecret(logged);
        assertThat(logged).contains("sasl.jaas.config: \"*****\"").contains("ssl.keystore.key: \"*****\"")
                .contains("basic.auth.user.info: \"*****\"").contains("s3.secret-key: \"*****\"")
                .contains("security.protocol: \"SASL_SSL\"").contains("sasl.mechanism: \"PLAIN\"")
                .contains("VM_PASSWORD_VARIABLE").contains("/run/secrets/vm-token-file").contains("username: \"reader\"");
        // the properties themselves still reach the job unmasked
        assertThat(c.source().kafka().properties()).containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.key.password", "key-pw-2x");
        assertThat(c.sinks().kafka().properties()).containsEntry("ssl.truststore.password", "truststore-pw-4x");
    }

    @Test
    void aSecretGivenAsANestedMappingOrListIsMaskedWhole() throws Exception {
        ObjectNode tree = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree("""
                source:
                  kafka:
                    properties:
                      sasl:
                        jaas:
                          config: jaas-pw-1x
                      ssl.keystore.password: [keystore-pw-3x]
                """);
        String logged = ConfigLoader.redact(tree);
        assertNoSecret(logged);
        assertThat(logged).contains("jaas: \"*****\"").contains("ssl.keystore.password: \"*****\"");
    }

    @Test
    void configurationErrorsNeverQuoteASecret(@TempDir Path dir) throws Exception {
        // an error elsewhere in a file full of secrets
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, YAML + "seq-len: many\n");
        assertSecretFree(() -> ConfigLoader.load(file, List.of()), "seq-len");

        // broken YAML on the line of a secret
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "source:\n  kafka:\n    properties:\n      ssl.key.password: \"key-pw-2x\n"
                + "      sasl.jaas.config: jaas-pw-1x: x\n");
        assertSecretFree(() -> ConfigLoader.load(broken, List.of()), "not valid YAML");

        // a secret property given as a mapping / list
        assertSecretFree(() -> ConfigLoader.load(null, List.of("sinks.kafka.properties.ssl\\.key\\.password.x="
                + "key-pw-2x")), "sinks.kafka.properties.ssl.key.password");

        // an override without '=' that is a secret
        assertSecretFree(() -> ConfigLoader.load(null, List.of("ssl.key.password key-pw-2x")), "--set needs key=value");

        // a secret-named key with a scalar of the wrong kind for a typed key is described, not quoted
        assertThat(ConfigNode.describe("a.ssl.key.password", new ObjectMapper().getNodeFactory().textNode("key-pw-2x")))
                .isEqualTo("a value (hidden: 'a.ssl.key.password' is a secret)");
    }

    private static void assertSecretFree(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String about) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(ConfigException.class).hasMessageContaining(about);
        for (Throwable c = t; c != null; c = c.getCause()) {
            assertNoSecret(String.valueOf(c.getMessage()));
        }
    }

    @Test
    void pointersAndOrdinaryKeysAreNotSecrets() {
        assertThat(SecretKeys.isSecret("source.victoriametrics.password-env")).isFalse();
        assertThat(SecretKeys.isSecret("source.victoriametrics.token-file")).isFalse();
        assertThat(SecretKeys.isSecret("source.kafka.properties.key.deserializer")).isFalse();
        assertThat(SecretKeys.isSecret("source.kafka.properties.security.protocol")).isFalse();
        assertThat(SecretKeys.isSecret("sinks.kafka.transactional-id-prefix")).isFalse();
        assertThat(SecretKeys.isSecret("source.kafka.properties.sasl.jaas.config")).isTrue();
        assertThat(SecretKeys.isSecret("flink.properties.fs.azure.account.key.acct.blob.core.windows.net")).isTrue();
    }
}
