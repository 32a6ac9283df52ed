package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Authentication and TLS against a real VictoriaMetrics 1.79 serving https with a certificate from a throwaway CA
 * ({@code -tls}) and demanding HTTP basic auth ({@code -httpAuth.username/password}). Single-node VictoriaMetrics
 * cannot check bearer tokens, so those go through {@link BearerTokenProxy} (what vmauth does in production).
 * <p>
 * Secrets from the environment: surefire sets {@code ANOMALY_TEST_VM_PASSWORD}, {@code ANOMALY_TEST_VM_WRONG_PASSWORD}
 * and {@code ANOMALY_TEST_VM_TOKEN} (sources/pom.xml); outside Maven set them yourself.
 */
class VictoriaMetricsAuthTlsTest {

    private static final String USER = "anomaly-reader";
    private static final String PASSWORD_ENV = "ANOMALY_TEST_VM_PASSWORD";
    private static final String WRONG_PASSWORD_ENV = "ANOMALY_TEST_VM_WRONG_PASSWORD";
    private static final String TOKEN_ENV = "ANOMALY_TEST_VM_TOKEN";
    private static final long STEP = 5_000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).setConfiguration(new Configuration()).build());

    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static VictoriaMetricsProcess vm;
    private static BearerTokenProxy proxy;
    private static SSLContext trustCa;
    private static String password;
    private static String token;
    private static List<Sample> expected;
    private static long firstMs;
    private static long lastMs;

    @BeforeAll
    static void start() throws Exception {
        password = requiredEnv(PASSWORD_ENV);
        token = requiredEnv(TOKEN_ENV);
        requiredEnv(WRONG_PASSWORD_ENV);
        certs = TestCertificates.create(dir.resolve("certs"));
        trustCa = VictoriaMetricsClient.sslContextTrusting(certs.caPem());
        vm = VictoriaMetricsProcess.startTlsBasicAuth(dir.resolve("vm"), certs.serverPem(), certs.serverKeyPem(),
                trustCa, USER, password);
        proxy = new BearerTokenProxy(token, vm.url(), basic(USER, password), trustCa);
        firstMs = StepGrid.lastAtOrBefore(System.currentTimeMillis() - 300_000, STEP);
        lastMs = firstMs + 29 * STEP;
        expected = VictoriaMetricsSourceTest.writeSeries(vm, "secured", "m_secured", "a", firstMs, STEP, 30, 0);
        VictoriaMetricsSourceTest.awaitSearchable(vm, "m_secured", 30);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (vm != null) {
            vm.close();
        }
    }

    private static String requiredEnv(String name) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("environment variable " + name + " must be set for this test (surefire "
                    + "sets it, see sources/pom.xml)");
        }
        return v;
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static VictoriaMetricsSource.Builder source(String url) {
        return VictoriaMetricsSource.builder().url(url).query("secured", "m_secured").step(Duration.ofMillis(STEP))
                .lag(Duration.ofSeconds(1)).lookBack(Duration.ofMinutes(6)).until(Instant.ofEpochMilli(lastMs))
                .retries(Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    /** Every secret of this test, raw and as it travels in a basic auth header. */
    private static List<String> secrets() {
        String wrong = System.getenv(WRONG_PASSWORD_ENV);
        return List.of(password, wrong, token, basic(USER, password).substring(6), basic(USER, wrong).substring(6));
    }

    private static void assertNoSecretIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String text = c.toString();
            for (String s : secrets()) {
                assertThat(text).as("error text of %s", c.getClass().getSimpleName()).doesNotContain(s);
            }
        }
    }

    private static List<Sample> readAll(VictoriaMetricsSourceConfig config) throws Exception {
        VictoriaMetricsClient client = new VictoriaMetricsClient(config);
        client.validate("secured", "m_secured", lastMs);
        return client.queryRange("secured", "m_secured", firstMs, lastMs, STEP).samples();
    }

    @Test
    void basicAuthPasswordFromEnvironmentReadsOverTlsInAFlinkJob() throws Exception {
        VictoriaMetricsSource s = source(vm.url()).tls(certs.caPem())
                .auth(VictoriaMetricsAuth.basic(USER, SecretRef.env(PASSWORD_ENV))).build();
        assertThat(s.config().toString()).contains("password from env:" + PASSWORD_ENV).doesNotContain(password);

        StreamExecutionEnvironment env = VictoriaMetricsSourceTest.env(false);
        env.fromSource(s, WatermarkStrategy.noWatermarks(), "vm").sinkTo(new CollectingSink("secured-env"));
        env.execute("basic auth over tls");

        VictoriaMetricsSourceTest.assertEachExactlyOnceInOrder(CollectingSink.samples("secured-env"), expected);
    }

    @Test
    void basicAuthPasswordFromFileReads() throws Exception {
        Path secret = dir.resolve("vm-password");
        Files.writeString(secret, password + "\n");
        VictoriaMetricsSourceConfig config = source(vm.url()).tls(certs.caPem())
                .auth(VictoriaMetricsAuth.basic(USER, SecretRef.file(secret.toString()))).build().config();
        assertThat(config.toString()).contains("password from file:" + secret).doesNotContain(password);
        assertThat(readAll(config)).containsExactlyElementsOf(expected);
    }

    @Test
    void bearerTokenFromEnvironmentOrFileReadsThroughTheProxy() throws Exception {
        Path secret = dir.resolve("vm-token");
        Files.writeString(secret, token);
        for (SecretRef ref : List.of(SecretRef.env(TOKEN_ENV), SecretRef.file(secret.toString()))) {
            VictoriaMetricsSourceConfig config = source(proxy.url()).auth(VictoriaMetricsAuth.bearer(ref)).build()
                    .config();
            assertThat(config.toString()).doesNotContain(token);
            assertThat(readAll(config)).as("token from %s", ref).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aTokenRotatedMidRunIsReadAgainAndTheJobReadsOnWithoutRestarting() throws Exception {
        Path secret = dir.resolve("vm-token-rotating");
        Files.writeString(secret, token);
        try (BearerTokenProxy rotating = new BearerTokenProxy(token, vm.url(), basic(USER, password), trustCa)) {
            // the validation and two ranges of 5 points with the first token, then only the new one is accepted
            rotating.rotateAfter(3, token + "-rotated", secret);
            StreamExecutionEnvironment env = VictoriaMetricsSourceTest.env(false); // no restarts: the source recovers
            env.fromSource(source(rotating.url()).maxPointsPerRequest(5)
                            .auth(VictoriaMetricsAuth.bearer(SecretRef.file(secret.toString()))).build(),
                    WatermarkStrategy.noWatermarks(), "vm").sinkTo(new CollectingSink("rotated"));
            env.execute("token rotated mid-run");

            VictoriaMetricsSourceTest.assertEachExactlyOnceInOrder(CollectingSink.samples("rotated"), expected);
            assertThat(rotating.rejected()).isPositive();
        }
    }

    @Test
    void wrongPasswordFailsTheJobFastWithoutTheSecret() {
        StreamExecutionEnvironment env = VictoriaMetricsSourceTest.env(true); // restarts allowed: still final
        env.fromSource(source(vm.url()).tls(certs.caPem())
                        .auth(VictoriaMetricsAuth.basic(USER, SecretRef.env(WRONG_PASSWORD_ENV))).build(),
                WatermarkStrategy.noWatermarks(), "vm").sinkTo(new CollectingSink("wrong-password"));
        long t0 = System.nanoTime();
        Throwable t = catchThrowable(() -> env.execute("wrong password"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(t).rootCause().isInstanceOf(VictoriaMetricsQueryException.class)
                .hasMessageContaining("refused the credentials of feature 'secured'")
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("password from env:" + WRONG_PASSWORD_ENV);
        assertNoSecretIn(t);
        assertThat(CollectingSink.samples("wrong-password")).isEmpty();
    }

    @Test
    void missingCredentialsFailWithAClearErrorWithoutTheSecret() {
        // no Authorization header at all: VictoriaMetrics answers 401
        Throwable none = catchThrowable(() -> readAll(source(vm.url()).tls(certs.caPem()).build().config()));
        assertThat(none).isInstanceOf(VictoriaMetricsQueryException.class).hasMessageContaining("HTTP 401")
                .hasMessageContaining("auth: none");
        assertThat(((VictoriaMetricsQueryException) none).httpStatus()).isEqualTo(401);

        // the variable holding the password is unset: the client refuses to start, naming the variable
        assertThatThrownBy(() -> readAll(source(vm.url()).tls(certs.caPem())
                .auth(VictoriaMetricsAuth.basic(USER, SecretRef.env("ANOMALY_TEST_UNSET_PASSWORD_4711"))).build()
                .config()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("environment variable ANOMALY_TEST_UNSET_PASSWORD_4711 is not set or empty");

        // a wrong token, which the proxy even echoes back in its error body: the message carries neither
        Throwable wrongToken = catchThrowable(() -> readAll(source(proxy.url())
                .auth(VictoriaMetricsAuth.bearer(SecretRef.env(PASSWORD_ENV))).build().config()));
        assertThat(wrongToken).isInstanceOf(VictoriaMetricsQueryException.class).hasMessageContaining("HTTP 401")
                .hasMessageContaining("bearer token required; got Authorization: Bearer *****");
        assertNoSecretIn(wrongToken);
        assertThat(proxy.rejected()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void tlsWithoutTheCustomCaFailsTheJobFastNamingTheFix() throws Exception {
        // the certificates are fine: trusting the CA reads (the other tests); without it the handshake must fail
        StreamExecutionEnvironment env = VictoriaMetricsSourceTest.env(true);
        env.fromSource(source(vm.url()).auth(VictoriaMetricsAuth.basic(USER, SecretRef.env(PASSWORD_ENV))).build(),
                WatermarkStrategy.noWatermarks(), "vm").sinkTo(new CollectingSink("untrusted"));
        long t0 = System.nanoTime();
        Throwable t = catchThrowable(() -> env.execute("untrusted certificate"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(t).hasStackTraceContaining("VictoriaMetricsTlsException")
                .hasStackTraceContaining("TLS handshake with " + vm.url() + " failed: the server's certificate is not"
                        + " trusted")
                .hasStackTraceContaining("source.victoriametrics.ca-file");
        assertNoSecretIn(t);
        assertThat(CollectingSink.samples("untrusted")).isEmpty();

        // a CA file that is not a certificate fails when the client is built, naming the file
        Path notACa = dir.resolve("not-a-ca.pem");
        Files.writeString(notACa, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> readAll(source(vm.url()).tls(notACa).build().config()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tls CA certificate file " + notACa);

        // and the right CA reads, so the failure above is about trust alone
        List<Sample> got = new ArrayList<>(readAll(source(vm.url()).tls(certs.caPem())
                .auth(VictoriaMetricsAuth.basic(USER, SecretRef.env(PASSWORD_ENV))).build().config()));
        assertThat(got).containsExactlyElementsOf(expected);
    }
}
