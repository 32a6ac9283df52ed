package dev.anomaly.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.graph.FlinkSettings;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The embedded run's Prometheus reporter listens on the configured address only (Flink 2.2.1's own reporter binds
 * the wildcard address), and the job configuration selects it.
 */
class HostBoundPrometheusReporterTest {

    @Test
    void listensOnLoopbackOnlyAndServesTheExpositionFormat() throws Exception {
        int port = freePort();
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", port + "-" + (port + 5));
        HostBoundPrometheusReporter reporter = (HostBoundPrometheusReporter) new HostBoundPrometheusReporterFactory()
                .createMetricReporter(p);
        try {
            assertThat(reporter.host()).isEqualTo("127.0.0.1");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + reporter.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isPresent()) { // a machine with only loopback has nothing else to try
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(other.get(), reporter.port()), 2000);
                    }
                }).as("connect via %s", other.get()).isInstanceOf(IOException.class);
            }
        } finally {
            reporter.close();
        }
    }

    @Test
    void embeddedConfigurationUsesItByDefaultAndFlinksReporterForAllInterfaces() {
        Configuration loopback = FlinkSettings.embedded(ConfigLoader.load(null, List.of()));
        assertThat(loopback.toMap()).containsEntry("metrics.reporter.prom.factory.class",
                HostBoundPrometheusReporterFactory.class.getName())
                .containsEntry("metrics.reporter.prom.host", "127.0.0.1");
        Configuration all = FlinkSettings.embedded(ConfigLoader.load(null, List.of("metrics.reporter-host=0.0.0.0")));
        assertThat(all.toMap()).containsEntry("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .doesNotContainKey("metrics.reporter.prom.host");
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("metrics.reporter-host=a b")))
                .hasMessageContaining("config key 'metrics.reporter-host'");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
