package dev.anomaly.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code anomaly sarima} contract, checked against the statsmodels fixtures and on bad input. */
class SarimaCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static List<Path> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(sharedDir().resolve("reference/sarima"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixedParametersReproduceStatsmodelsThroughTheCli(Path fixture) throws IOException {
        JsonNode fx = JSON.readTree(fixture.toFile());
        Path csv = nabStyleCsv(fx);
        List<String> args = new ArrayList<>(modelArgs(fx, csv));
        args.add("--params");
        args.add(join(fx.at("/fixed/params")));
        args.add("--json");
        Run r = run(args);
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.err).isEmpty();
        JsonNode out = JSON.readTree(r.out);
        JsonNode ref = fx.at("/fixed/variants/simple_diff_stationary");
        double sigma = Math.sqrt(fx.at("/fixed/params_by_role/sigma2").asDouble());
        double llf = ref.get("llf").asDouble();
        assertThat(Math.abs(out.get("loglik").asDouble() - llf)).isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(llf)));
        assertThat(out.get("nobs").asInt()).isEqualTo(ref.get("nobs").asInt());
        assertThat(out.get("param_names")).isEqualTo(fx.at("/fixed/param_names"));
        close(out.at("/one_step/pred"), ref.at("/one_step/pred"), sigma);
        close(out.at("/one_step/resid"), ref.at("/one_step/resid"), sigma);
        close(out.at("/one_step/pred_var"), ref.at("/one_step/pred_var"), 0);
        for (String k : List.of("mean", "se", "lower95", "upper95")) {
            close(out.at("/forecast/" + k), ref.at("/forecast/" + k), sigma);
        }
        JsonNode original = ref.has("forecast_undifferenced_mean") ? ref.get("forecast_undifferenced_mean")
                : ref.at("/forecast/mean");
        close(out.at("/forecast/mean_original_scale"), original, sigma);
    }

    @Test
    void fittingReachesStatsmodelsLikelihoodAndPrintsOneJsonObject() throws IOException {
        JsonNode fx = JSON.readTree(sharedDir().resolve("reference/sarima/s09_sarima_101_101_12_const.json").toFile());
        List<String> args = new ArrayList<>(modelArgs(fx, nabStyleCsv(fx)));
        args.add("--json");
        args.add("--forecast");
        args.add("5");
        Run r = run(args);
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out.strip().lines().count()).isEqualTo(1);
        JsonNode out = JSON.readTree(r.out);
        assertThat(out.get("loglik").asDouble())
                .isGreaterThanOrEqualTo(fx.at("/fitted_summary/best_llf").asDouble() - 0.5);
        assertThat(out.at("/forecast/mean")).hasSize(5);
        assertThat(out.get("params")).hasSize(6);
    }

    /**
     * With missing values, {@code nobs} is statsmodels' count: every period of the differenced series, missing ones
     * included ({@code MLEResults.nobs} is the Kalman filter's number of periods, and {@code bic} uses it), with
     * fixed parameters and when fitting. Before, the CLI counted only the observed values.
     */
    @Test
    void nobsAndBicCountTheMissingPeriodsAsStatsmodelsDoes() throws IOException {
        JsonNode fx = JSON.readTree(sharedDir().resolve("reference/sarima/s05_airline.json").toFile());
        StringBuilder b = new StringBuilder("value\n");
        int n = fx.get("series").size();
        for (int i = 0; i < n; i++) {
            b.append(i == 40 || i == 41 || i == 200 ? "NaN" : fx.get("series").get(i).asText()).append('\n');
        }
        Path csv = write("airline-missing.csv", b.toString());
        int periods = n - 1 - 12; // (0,1,1)(0,1,1,12): d + s D values go to the differencing
        for (boolean fixed : new boolean[] {true, false}) {
            List<String> args = new ArrayList<>(modelArgs(fx, csv));
            if (fixed) {
                args.add("--params");
                args.add(join(fx.at("/fixed/params")));
            }
            args.add("--json");
            Run r = run(args);
            assertThat(r.code).as(r.err).isZero();
            JsonNode out = JSON.readTree(r.out);
            assertThat(out.get("nobs").asInt()).as("fixed %s", fixed).isEqualTo(periods);
            int k = out.get("params").size();
            assertThat(out.get("bic").asDouble()).as("fixed %s", fixed)
                    .isCloseTo(-2 * out.get("loglik").asDouble() + k * Math.log(periods), within(1e-9));
        }
    }

    /**
     * A missing value among the last s observations of a seasonally differenced series: the differenced forecast is
     * given for every horizon (statsmodels forecasts through missing values), and the original-scale forecast is
     * unknown (null) exactly at the horizons whose integration adds the missing value, h = 3 and h = 15 for the
     * value 10 rows before the end with s = 12. Before, the CLI refused the whole input (exit 2).
     */
    @Test
    void aMissingValueNearTheEndLeavesOnlyTheHorizonsItEntersUnknown() throws IOException {
        StringBuilder b = new StringBuilder();
        java.util.Random r = new java.util.Random(3);
        int n = 120;
        for (int i = 0; i < n; i++) {
            b.append(i == n - 10 ? "NaN" : String.valueOf(10 + 3 * Math.sin(2 * Math.PI * i / 12) + r.nextGaussian()))
                    .append('\n');
        }
        Path f = write("seasonal-missing.txt", b.toString());
        Run run = run(List.of("sarima", "--input", f.toString(), "--order", "1,0,0", "--seasonal", "0,1,0,12",
                "--params", "0.3,1.0", "--forecast", "16", "--json"));
        assertThat(run.code).as(run.err).isZero();
        JsonNode fc = JSON.readTree(run.out).get("forecast");
        for (int h = 0; h < 16; h++) {
            assertThat(fc.get("mean").get(h).isNumber()).as("differenced mean, h = %d", h + 1).isTrue();
            boolean unknown = h == 2 || h == 14;
            for (String k : List.of("mean_original_scale", "se_original_scale", "lower95_original_scale",
                    "upper95_original_scale")) {
                assertThat(fc.get(k).get(h).isNull()).as("%s, h = %d", k, h + 1).isEqualTo(unknown);
            }
        }
    }

    @Test
    void summaryTableNamesEveryParameter() throws IOException {
        Path f = write("plain.txt", "1\n3\n2\n5\n4\n6\n5\n8\n7\n9\n8\n11\n10\n12\n11\n14\n13\n15\n14\n17\n");
        Run r = run(List.of("sarima", "--input", f.toString(), "--order", "1,1,0", "--forecast", "2"));
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("ar.L1").contains("sigma2").contains("log-likelihood");
    }

    @Test
    void badInputExitsWithCodeTwoAndOneLine() throws IOException {
        Path good = write("good.csv", "timestamp,value\n" + "a,1\nb,2\nc,4\nd,3\ne,5\nf,4\ng,6\nh,5\ni,7\nj,8\n");
        Path text = write("bad.csv", "timestamp,value\na,1\nb,oops\n");
        List<List<String>> cases = List.of(
                List.of("sarima", "--input", dir.resolve("missing.csv").toString(), "--order", "1,0,0"),
                List.of("sarima", "--input", text.toString(), "--order", "1,0,0"),
                List.of("sarima", "--input", good.toString(), "--order", "3,1,3", "--seasonal", "1,1,1,12"),
                List.of("sarima", "--input", good.toString(), "--order", "1,0,0", "--params", "0.5"),
                List.of("sarima", "--input", good.toString(), "--order", "1,0"),
                List.of("sarima", "--input", good.toString(), "--order", "1,0,0", "--trend", "t"),
                List.of("sarima", "--input", good.toString(), "--order", "1,0,0", "--params", "1.5,1"),
                List.of("sarima", "--order", "1,0,0"),
                List.of("sarima", "--input", good.toString(), "--order", "1,0,0", "--bogus"));
        for (List<String> c : cases) {
            Run r = run(c);
            assertThat(r.code).as("exit code of %s (stderr %s)", c, r.err).isEqualTo(2);
            assertThat(r.err.strip().lines().count()).as("stderr of %s: %s", c, r.err).isEqualTo(1);
            assertThat(r.out).isEmpty();
        }
        assertThat(run(cases.get(1)).err).contains("line 3");
        assertThat(run(cases.get(2)).err).contains("too short");
        assertThat(run(cases.get(3)).err).contains("expected 2 parameters");
        assertThat(run(cases.get(6)).err).contains("not stationary");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AnomalyCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> modelArgs(JsonNode fx, Path csv) {
        JsonNode s = fx.get("spec");
        return List.of("sarima", "--input", csv.toString(), "--order", join(s.get("order")),
                "--seasonal", join(s.get("seasonal_order")), "--trend", s.get("trend").asText());
    }

    private static Path nabStyleCsv(JsonNode fx) throws IOException {
        StringBuilder b = new StringBuilder("timestamp,value\n");
        int i = 0;
        for (JsonNode v : fx.get("series")) {
            b.append("2020-01-01 00:").append(i++).append(",").append(v.asText()).append('\n');
        }
        return write(fx.get("case_id").asText() + ".csv", b.toString());
    }

    private static Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(v -> parts.add(v.asText()));
        return String.join(",", parts);
    }

    private static void close(JsonNode got, JsonNode ref, double sigma) {
        assertThat(got.size()).isEqualTo(ref.size());
        for (int i = 0; i < ref.size(); i++) {
            double e = ref.get(i).asDouble();
            double tol = sigma == 0 ? 1e-6 * Math.abs(e) : 1e-6 * Math.abs(e) + 1e-6 * sigma;
            assertThat(Math.abs(got.get(i).asDouble() - e)).as("[%d] %s vs %s", i, got.get(i), e)
                    .isLessThanOrEqualTo(tol);
        }
    }

    static Path sharedDir() {
        String prop = System.getProperty("anomaly.shared.dir");
        if (prop != null && Files.isDirectory(Paths.get(prop))) {
            return Paths.get(prop);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolveSibling("shared").resolve("reference"))) {
                return p.resolveSibling("shared");
            }
        }
        throw new IllegalStateException("shared data folder not found (set -Danomaly.shared.dir)");
    }
}
