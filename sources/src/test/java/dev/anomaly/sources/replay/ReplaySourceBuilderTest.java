package dev.anomaly.sources.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplaySourceBuilderTest {

    @TempDir
    Path dir;

    private Path csv(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void directoryAddsEveryCsvSortedWithAFileLabel() throws Exception {
        csv("b.csv", "timestamp,value\n");
        csv("a.csv", "timestamp,value\n");
        csv("notes.txt", "not a series");
        ReplaySource source = ReplaySource.builder().directory(dir, "cpu").rate(2.5).build();
        assertThat(source.splits()).extracting(ReplayFileSplit::index).containsExactly(0, 1);
        assertThat(source.splits()).extracting(s -> s.labels().get("file")).containsExactly("a", "b");
        assertThat(source.splits()).extracting(ReplayFileSplit::feature).containsOnly("cpu");
        assertThat(source.splits()).allSatisfy(s -> {
            assertThat(s.linesConsumed()).isZero();
            assertThat(s.shiftMs()).isNull();
            assertThat(Path.of(s.path())).isAbsolute();
        });
        assertThat(source.samplesPerSecondPerSplit()).isEqualTo(2.5);
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        assertThat(source.getProducedType()).isInstanceOf(PojoTypeInfo.class)
                .isEqualTo(TypeInformation.of(dev.anomaly.models.records.Sample.class));
    }

    @Test
    void badInputFailsAtBuildNamingWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> ReplaySource.builder().build()).hasMessageContaining("no files");
        Path missing = dir.resolve("missing.csv");
        assertThatThrownBy(() -> ReplaySource.builder().file(missing, "f", Map.of()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
        Path noHeader = csv("noheader.csv", "1,2\n");
        assertThatThrownBy(() -> ReplaySource.builder().file(noHeader, "f", Map.of()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noheader.csv")
                .hasMessageContaining("'timestamp' and a 'value'");
        Path ok = csv("ok.csv", "timestamp,value\n");
        assertThatThrownBy(() -> ReplaySource.builder().file(ok, "f", Map.of("a", "1"))
                .file(ok, "f", Map.of("a", "1")).build()).hasMessageContaining("f{a=\"1\"}");
        assertThatThrownBy(() -> ReplaySource.builder().rate(-1)).hasMessageContaining("rate");
        assertThatThrownBy(() -> ReplaySource.builder().rate(Double.NaN)).hasMessageContaining("rate");
        assertThatThrownBy(() -> ReplaySource.builder().file(ok, " ", Map.of())).hasMessageContaining("feature");
        assertThatThrownBy(() -> ReplaySource.builder().directory(dir.resolve("nope"), "f"))
                .hasMessageContaining("nope");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> ReplaySource.builder().directory(empty, "f")).hasMessageContaining("no *.csv");
    }
}
