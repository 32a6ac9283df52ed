package dev.anomaly.job.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code anomaly scrape-to-kafka}: scrapes a Prometheus endpoint (e.g. node-exporter's {@code /metrics}) every
 * interval and publishes each scrape as one Kafka record: value = the body as served (text exposition format),
 * key = the target URL, record timestamp = the time the scrape started (what the Kafka sample source in
 * {@code prometheus-text} format uses as the samples' time). Runs until killed, or for {@code --count} scrapes.
 *
 * <p>Exit codes: 0 every scrape published; 1 some scrape failed (each failure is one line on stderr, and the loop
 * goes on); 2 bad usage (one line on stderr).
 */
public final class ScrapeToKafkaCommand {
    static final String SYNOPSIS = "scrape-to-kafka --target URL --brokers HOST:PORT[,...] --topic T"
            + " [--interval 5s] [--count N]";
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern BROKER = Pattern.compile("[^\\s,:]+:(\\d{1,5})");

    private final Settings settings;
    private final PrintStream out;
    private final PrintStream err;

    private record Settings(URI target, String brokers, String topic, Duration interval, Long count) {
    }

    private ScrapeToKafkaCommand(Settings settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    /** Runs the command line (without the command name); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return new ScrapeToKafkaCommand(parse(args), out, err).loop();
        } catch (UsageException e) {
            err.println("anomaly " + e.getMessage());
            return 2;
        }
    }

    private static Settings parse(String[] args) {
        CommandLineOptions o = CommandLineOptions.parse("scrape-to-kafka", args,
                Set.of("--target", "--brokers", "--topic", "--interval", "--count"), Set.of());
        URI target = target(o.required("--target"));
        String brokers = o.required("--brokers").strip();
        for (String b : brokers.split(",", -1)) {
            Matcher m = BROKER.matcher(b.strip());
            if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 65535) {
                throw new UsageException("scrape-to-kafka: --brokers needs HOST:PORT[,HOST:PORT...], got '" + brokers
                        + "'");
            }
        }
        String topic = o.required("--topic");
        if (!TOPIC.matcher(topic).matches()) {
            throw new UsageException("scrape-to-kafka: --topic '" + topic
                    + "' is not a Kafka topic name (letters, digits, '.', '_', '-'; at most 249)");
        }
        Duration interval = o.optional("--interval") == null ? DEFAULT_INTERVAL : duration(o.optional("--interval"));
        Long count = null;
        if (o.optional("--count") != null) {
            count = (long) o.nonNegativeInteger("--count", o.optional("--count"));
            if (count == 0) {
                throw new UsageException("scrape-to-kafka: --count must be at least 1");
            }
        }
        return new Settings(target, brokers, topic, interval, count);
    }

    private static URI target(String text) {
        try {
            URI u = new URI(text);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return u;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UsageException("scrape-to-kafka: --target needs an http(s) URL such as "
                + "http://127.0.0.1:9100/metrics, got '" + text + "'");
    }

    private static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                Duration d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMinutes(n);
                };
                if (d.toMillis() > 0) {
                    return d;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
        }
        throw new UsageException("scrape-to-kafka: --interval needs a positive duration such as 500ms, 5s or 1m, "
                + "got '" + text + "'");
    }

    private int loop() {
        Duration requestTimeout = settings.interval.compareTo(Duration.ofSeconds(30)) < 0 ? settings.interval
                : Duration.ofSeconds(30);
        if (requestTimeout.compareTo(Duration.ofSeconds(2)) < 0) {
            requestTimeout = Duration.ofSeconds(2);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(settings.target).timeout(requestTimeout)
                .header("Accept", "text/plain;version=0.0.4").GET().build();
        String key = settings.target.toString();
        long failures = 0;
        long done = 0;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            long next = System.currentTimeMillis();
            while (settings.count == null || done < settings.count) {
                long startMs = System.currentTimeMillis();
                try {
                    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        throw new ScrapeFailure("HTTP " + response.statusCode() + " from " + key);
                    }
                    byte[] body = response.body();
                    RecordMetadata meta = producer.send(new ProducerRecord<>(settings.topic, null, startMs, key, body))
                            .get(60, TimeUnit.SECONDS);
                    out.printf("scraped %s at %d: %d bytes -> %s/%d@%d%n", key, startMs, body.length, meta.topic(),
                            meta.partition(), meta.offset());
                } catch (ScrapeFailure e) {
                    failures++;
                    err.println("anomaly scrape-to-kafka: scrape at " + startMs + " failed: " + e.getMessage());
                } catch (java.io.IOException e) {
                    failures++;
                    err.println("anomaly scrape-to-kafka: scrape at " + startMs + " failed: cannot fetch " + key
                            + ": " + e);
                } catch (ExecutionException | TimeoutException | KafkaException e) {
                    failures++;
                    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    err.println("anomaly scrape-to-kafka: scrape at " + startMs + " failed: cannot publish to "
                            + settings.topic + " at " + settings.brokers + ": " + cause);
                }
                done++;
                if (settings.count != null && done >= settings.count) {
                    break;
                }
                next += settings.interval.toMillis();
                long now = System.currentTimeMillis();
                if (next < now) { // fell behind (a slow scrape): keep the grid, skip the missed ticks
                    next += ((now - next) / settings.interval.toMillis() + 1) * settings.interval.toMillis();
                }
                Thread.sleep(next - now);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KafkaException e) {
            throw new UsageException("scrape-to-kafka: cannot create a Kafka producer for " + settings.brokers + ": "
                    + e.getMessage());
        }
        if (failures > 0) {
            err.println("anomaly scrape-to-kafka: " + failures + " of " + done + " scrapes failed");
            return 1;
        }
        return 0;
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip"); // a node-exporter scrape is ~100 kB of text
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "anomaly-scrape-to-kafka");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A scrape that got an answer other than 200. */
    private static final class ScrapeFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ScrapeFailure(String message) {
            super(message);
        }
    }

}
