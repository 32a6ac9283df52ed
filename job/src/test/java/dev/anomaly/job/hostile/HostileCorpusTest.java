package dev.anomaly.job.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.records.Sample;
import dev.anomaly.sources.kafka.FeatureMappings;
import dev.anomaly.sources.kafka.KafkaSampleDeserializer;
import dev.anomaly.sources.kafka.ParsedRecord;
import dev.anomaly.sources.kafka.SampleRecordFormat;
import dev.anomaly.sources.prometheus.PrometheusTextParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The hostile corpus through the Kafka deserializer alone (no Kafka, no Flink): every malformed record gets the
 * reason the corpus expects, every valid one becomes its sample. The job-level test does the same through a real
 * broker and the whole job; this one pins the per-record semantics in under a second.
 */
class HostileCorpusTest {

    @Test
    void everyRecordGetsTheReasonItsCategoryDecides() {
        long now = System.currentTimeMillis();
        List<HostileCorpus.Entry> corpus = HostileCorpus.generate(20_261_126L, now);
        KafkaSampleDeserializer d = new KafkaSampleDeserializer(SampleRecordFormat.JSON,
                FeatureMappings.parse(List.of("load=gauge:" + HostileCorpus.METRIC)), new PrometheusTextParser());
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> reasons = new TreeMap<>();
        int unmapped = 0;
        int samples = 0;
        for (int i = 0; i < corpus.size(); i++) {
            HostileCorpus.Entry e = corpus.get(i);
            ParsedRecord r = d.parse("t", 0, i, -1, e.value());
            if (e.malformed()) {
                String got = r.isDeadLetter() ? r.deadLetter().reason() : "accepted";
                if (!e.reason().equals(got)) {
                    wrong.add(e.category() + " #" + i + ": expected " + e.reason() + ", got " + got
                            + (r.isDeadLetter() ? " (" + r.deadLetter().detail() + ")" : "") + ": "
                            + new String(e.value(), 0, Math.min(200, e.value().length),
                            java.nio.charset.StandardCharsets.ISO_8859_1));
                }
                if (r.isDeadLetter()) {
                    reasons.merge(got, 1, Integer::sum);
                }
            } else {
                assertThat(r.isDeadLetter()).as("%s #%d: %s", e.category(), i, r.deadLetter()).isFalse();
                unmapped += r.unmapped();
                samples += r.samples().size();
                if (e.series() != null) {
                    assertThat(r.samples()).extracting(Sample::seriesId).containsExactly(e.series());
                    assertThat(r.samples()).extracting(Sample::timestampMs).containsExactly(e.timestampMs());
                }
            }
        }
        assertThat(wrong).as("records with another outcome than expected").isEmpty();
        assertThat(corpus.stream().filter(HostileCorpus.Entry::malformed).count()).isGreaterThanOrEqualTo(10_000);
        assertThat(reasons).isEqualTo(HostileCorpus.reasons(corpus));
        assertThat(unmapped).isEqualTo(HostileCorpus.UNMAPPED);
        assertThat(samples).isEqualTo(HostileCorpus.STEPS * HostileCorpus.SERIES.size() + HostileCorpus.DUPLICATES);
        // Deterministic: the same seed gives the same bytes.
        List<HostileCorpus.Entry> again = HostileCorpus.generate(20_261_126L, now);
        assertThat(again).hasSameSizeAs(corpus);
        for (int i = 0; i < corpus.size(); i++) {
            assertThat(again.get(i).value()).isEqualTo(corpus.get(i).value());
        }
    }
}
