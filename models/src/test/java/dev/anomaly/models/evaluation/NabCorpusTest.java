package dev.anomaly.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks the scorer against the real shared NAB subset: its labels, its row layout and the two reference detectors. */
class NabCorpusTest {

    private static NabLabels labels() throws IOException {
        return NabLabels.load(SharedData.nab().resolve("labels.json"));
    }

    private static List<LocalDateTime> timestamps(String file) throws IOException {
        List<String> lines = Files.readAllLines(SharedData.nab().resolve("data").resolve(file));
        List<LocalDateTime> timestamps = new ArrayList<>(lines.size() - 1);
        for (String line : lines.subList(1, lines.size())) {
            timestamps.add(NabLabels.parseTimestamp(line.substring(0, line.indexOf(','))));
        }
        return timestamps;
    }

    @Test
    void sharedLabelsHold41FilesAnd86Windows() throws IOException {
        NabLabels labels = labels();

        // Counts from shared/data/nab/README.md.
        assertThat(labels.files()).hasSize(41);
        assertThat(labels.windowCount()).isEqualTo(86);
        assertThat(labels.windows("artificialWithAnomaly/art_daily_flatmiddle.csv")).containsExactly(new NabWindow(
                LocalDateTime.of(2014, 4, 10, 7, 15), LocalDateTime.of(2014, 4, 11, 16, 45)));
        assertThat(labels.windows("artificialNoAnomaly/art_flatline.csv")).isEmpty();
    }

    @Test
    void nullDetectorScoresZeroAndPerfectDetectorScores100OnTheSharedCorpus() throws IOException {
        NabLabels labels = labels();
        List<NabFile> nothing = new ArrayList<>();
        List<NabFile> perfect = new ArrayList<>();
        for (String name : labels.files()) {
            List<LocalDateTime> timestamps = timestamps(name);
            List<NabWindow> windows = labels.windows(name);
            NabFile located = NabFile.ofScores(name, timestamps, new double[timestamps.size()], windows);
            boolean[] onWindowStarts = new boolean[timestamps.size()];
            for (NabRowWindow window : located.windows()) {
                // Every window must start after probation, or no detector could reach 100.
                assertThat(window.first()).as(name).isGreaterThanOrEqualTo(NabFile.probationLength(timestamps.size()));
                onWindowStarts[window.first()] = true;
            }
            nothing.add(located);
            perfect.add(NabFile.ofRowDecisions(name, onWindowStarts, located.windows()));
        }

        Map<NabProfile, NabScore> nullScores = NabScorer.scoreDecisions(nothing);
        Map<NabProfile, NabScore> perfectScores = NabScorer.scoreDecisions(perfect);

        // S_null = -A_FN * 86 and S_perfect = A_TP * 86 (README "Published anchors for this subset").
        assertThat(nullScores.get(NabProfile.STANDARD).raw()).isEqualTo(-86.0);
        assertThat(nullScores.get(NabProfile.REWARD_LOW_FN_RATE).raw()).isEqualTo(-172.0);
        for (NabProfile profile : NabProfile.ALL) {
            assertThat(nullScores.get(profile).normalised()).isCloseTo(0.0, within(1e-9));
            assertThat(perfectScores.get(profile).raw()).isCloseTo(86.0, within(1e-9));
            assertThat(perfectScores.get(profile).normalised()).isCloseTo(100.0, within(1e-9));
        }
    }

    @Test
    void repeatedTimestampsInEc2LatencyLocateWindowsOnFirstOccurrence() throws IOException {
        // ec2_request_latency_system_failure.csv: 4032 rows with repeated timestamps; windows located on rows
        // [2014, 2148], [3328, 3462], [3956, 4031] (0-based data rows, header excluded).
        String name = "realKnownCause/ec2_request_latency_system_failure.csv";
        List<LocalDateTime> timestamps = timestamps(name);

        NabFile file = NabFile.ofScores(name, timestamps, new double[timestamps.size()], labels().windows(name));

        assertThat(file.rowCount()).isEqualTo(4032);
        assertThat(file.windows()).containsExactly(
                new NabRowWindow(2014, 2148), new NabRowWindow(3328, 3462), new NabRowWindow(3956, 4031));
    }
}
