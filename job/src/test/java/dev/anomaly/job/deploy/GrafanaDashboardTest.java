package dev.anomaly.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard deploy/grafana/dashboards/anomaly-detection.json: its structure, its use of the
 * provisioned datasources and template variables, and every PromQL expression in it checked by a real
 * PromQL parser (Prometheus' promtool).
 *
 * <p>promtool comes with the Debian package {@code prometheus} (deploy/test/prometheus-check.sh installs it).
 * Without it the parser test is skipped, unless {@code -Danomaly.require.promtool=true} (set by
 * deploy/test/all.sh) makes its absence a failure.
 */
class GrafanaDashboardTest {

    /** The names the job exports (after Prometheus' renaming), from the metric contract. */
    private static final Set<String> CONTRACT_METRICS = Set.of(
            // per series
            "anomaly_detector_value", "anomaly_detector_yhat", "anomaly_detector_residual",
            "anomaly_detector_predicted_residual", "anomaly_detector_mse", "anomaly_detector_threshold",
            "anomaly_detector_score", "anomaly_detector_anomaly", "anomaly_detector_warming_up",
            "anomaly_detector_alarms",
            // per series and horizon
            "anomaly_detector_forecast", "anomaly_detector_forecast_lower", "anomaly_detector_forecast_upper",
            // operator counters and gauge
            "anomaly_detector_samples_processed", "anomaly_detector_late_dropped",
            "anomaly_detector_duplicates_dropped", "anomaly_detector_gap_steps", "anomaly_detector_anomalies",
            "anomaly_detector_malformed", "anomaly_detector_series_over_limit", "anomaly_detector_self_trainings",
            "anomaly_detector_series_active", "anomaly_detector_training_failures",
            "anomaly_detector_self_trainings_pending", "anomaly_detector_self_training_wait_ms",
            "anomaly_detector_model_decodes", "anomaly_detector_exact_fit_restarts",
            // source
            "anomaly_detector_source_malformed");

    /** Grafana's own variables, always defined. */
    private static final Set<String> GRAFANA_BUILTINS =
            Set.of("__rate_interval", "__interval", "__range", "__interval_ms", "__range_s");

    /** A Grafana variable reference: $name or ${name} (optionally ${name:format}). */
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z0-9_]+)(?::[a-z]+)?}|([A-Za-z0-9_]+))");

    private static final Pattern JOB_METRIC = Pattern.compile("\\banomaly_detector_[a-z_]+\\b");

    private static Path deployDir;
    private static JsonNode dashboard;

    @BeforeAll
    static void readDashboard() throws IOException {
        // Surefire runs in job/; the deploy folder is beside it.
        deployDir = Path.of(System.getProperty("user.dir")).resolve("../deploy").normalize();
        Path file = deployDir.resolve("grafana/dashboards/anomaly-detection.json");
        assertTrue(Files.isRegularFile(file), "dashboard not found at " + file);
        dashboard = new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void identifiesItselfWithFixedUidTitleAndSchema() {
        assertThat(dashboard.path("uid").asText()).isEqualTo("anomaly-detection");
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        assertThat(dashboard.path("panels").isArray()).isTrue();
    }

    @Test
    void everyPanelHasAProvisionedDatasourceAndQueriesWithExpressions() throws IOException {
        Set<String> provisioned = provisionedDatasourceUids();
        assertThat(provisioned).contains("prometheus", "victoriametrics");
        List<JsonNode> panels = queryPanels();
        assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of panel '%s'", title)
                    .isIn(provisioned);
            assertThat(panel.path("gridPos").path("w").asInt()).as("width of panel '%s'", title).isPositive();
            JsonNode targets = panel.path("targets");
            assertThat(targets.size()).as("queries of panel '%s'", title).isPositive();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : targets) {
                assertThat(target.path("expr").asText()).as("expr of a query of panel '%s'", title).isNotBlank();
                assertThat(refIds.add(target.path("refId").asText())).as("unique refId in panel '%s'", title).isTrue();
                String targetUid = target.path("datasource").path("uid").asText(panel.path("datasource").path("uid").asText());
                assertThat(targetUid).as("datasource of a query of panel '%s'", title).isIn(provisioned);
            }
        }
    }

    @Test
    void panelIdsAreUnique() {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : allPanels()) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of panel '%s'", panel.path("title").asText()).isTrue();
        }
    }

    @Test
    void showsWhatTheIssueAsksFor() {
        List<String> exprs = new ArrayList<>(expressions().values());
        String all = String.join("\n", exprs);
        // per series value vs forecast with its band, anomaly markers, MSE vs threshold, scores
        assertThat(all).contains("anomaly_detector_value", "anomaly_detector_yhat", "anomaly_detector_forecast_lower",
                "anomaly_detector_forecast_upper", "anomaly_detector_anomaly", "anomaly_detector_mse",
                "anomaly_detector_threshold", "topk(", "anomaly_detector_score");
        // job health
        assertThat(all).contains("flink_taskmanager_job_task_numRecordsInPerSecond",
                "flink_taskmanager_job_task_numRecordsOutPerSecond", "flink_jobmanager_job_lastCheckpointDuration",
                "flink_jobmanager_job_numberOfFailedCheckpoints", "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
                "flink_jobmanager_job_numRestarts", "anomaly_detector_late_dropped", "anomaly_detector_source_malformed");
        // the band is drawn between the "lower" and "upper" queries of the same panel
        JsonNode band = queryPanels().stream()
                .filter(p -> p.path("fieldConfig").toString().contains("fillBelowTo")).findFirst().orElseThrow();
        List<String> legends = new ArrayList<>();
        band.path("targets").forEach(t -> legends.add(t.path("legendFormat").asText()));
        assertThat(legends).contains("lower", "upper", "anomaly");
    }

    @Test
    void onlyContractMetricsOfTheJobAreQueried() {
        for (Map.Entry<String, String> e : expressions().entrySet()) {
            Matcher m = JOB_METRIC.matcher(e.getValue());
            while (m.find()) {
                assertThat(m.group()).as("metric in %s", e.getKey()).isIn(CONTRACT_METRICS);
            }
        }
    }

    /**
     * The horizon-1 forecast published with a sample is the forecast of the NEXT sample, one fetch interval later:
     * a panel that draws its band beside the observed value must shift it back by FETCH_INTERVAL ($fetch_interval,
     * whose default is the shipped compose and Kubernetes configurations' fetch-interval), or every value is drawn
     * against the band forecast from it (a spike looks as if it sat inside a band already widened for it).
     */
    @Test
    void aOneStepBandDrawnBesideTheValueIsShiftedBackByTheFetchInterval() throws IOException {
        JsonNode variable = null;
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("name").asText().equals("fetch_interval")) {
                variable = v;
            }
        }
        assertThat(variable).as("$fetch_interval").isNotNull();
        String fetchInterval = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(
                deployDir.resolve("compose/job.yaml").toFile()).path("fetch-interval").asText();
        assertThat(variable.path("current").path("value").asText()).isEqualTo(fetchInterval);
        int bands = 0;
        for (JsonNode panel : allPanels()) {
            List<String> exprs = new ArrayList<>();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            boolean drawsValue = exprs.stream().anyMatch(e -> e.contains("anomaly_detector_value{"));
            for (String e : exprs) {
                if (drawsValue && e.matches("(?s).*anomaly_detector_forecast_(lower|upper)\\{[^}]*horizon=\"1\".*")) {
                    assertThat(e).as("band in panel '%s'", panel.path("title").asText())
                            .contains("} offset $fetch_interval");
                    bands++;
                }
            }
        }
        assertThat(bands).as("band queries drawn beside the value").isEqualTo(2);
    }

    @Test
    void instanceAndFeatureVariablesExistAndAreUsed() {
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertThat(variables).containsKeys("instance", "feature");
        for (String name : List.of("instance", "feature")) {
            JsonNode v = variables.get(name);
            assertThat(v.path("type").asText()).isEqualTo("query");
            assertThat(labelValuesSelector(v)).as("label_values query of $%s", name).isNotBlank();
            assertThat(v.path("query").path("query").asText()).endsWith(", " + name + ")");
        }
        Set<String> used = new HashSet<>();
        expressions().values().forEach(expr -> used.addAll(variablesIn(expr)));
        variables.values().forEach(v -> used.addAll(variablesIn(v.path("query").path("query").asText())));
        assertThat(used).contains("instance", "feature");
        for (String name : used) {
            assertThat(variables.containsKey(name) || GRAFANA_BUILTINS.contains(name))
                    .as("$%s is a dashboard variable or a Grafana built-in", name).isTrue();
        }
        for (JsonNode panel : allPanels()) {
            if (panel.has("repeat")) {
                assertThat(variables).as("repeat of panel '%s'", panel.path("title").asText())
                        .containsKey(panel.path("repeat").asText());
            }
        }
    }

    @Test
    void everyExpressionParsesWithPrometheusParser(@TempDir Path tmp) throws Exception {
        String promtool = promtool();
        Map<String, String> exprs = expressions();
        dashboard.path("templating").path("list").forEach(v -> {
            if (v.path("type").asText().equals("query")) { // custom variables hold a list of values, no query
                exprs.put("variable " + v.path("name").asText(), labelValuesSelector(v));
            }
        });
        // Each expression becomes a recording rule; `promtool check rules` parses them all and names the
        // rule of any that does not parse.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        Map<String, String> recordToSource = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, String> e : exprs.entrySet()) {
            String record = "dashboard:q" + (++n);
            recordToSource.put(record, e.getKey());
            rules.append("      - record: ").append(record).append('\n')
                    .append("        expr: ").append(jsonString(substituteVariables(e.getValue()))).append('\n');
        }
        Path file = tmp.resolve("dashboard-queries.rules.yml");
        Files.writeString(file, rules, StandardCharsets.UTF_8);

        Process p = new ProcessBuilder(promtool, "check", "rules", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertThat(p.exitValue()).as("promtool check rules on %d dashboard queries:\n%s\nrules: %s", exprs.size(), out,
                recordToSource).isZero();
        assertThat(out).contains("SUCCESS: " + exprs.size() + " rules found");
    }

    @Test
    void aBrokenExpressionIsRejectedByTheParser(@TempDir Path tmp) throws Exception {
        // The parser check above must be able to fail: promtool rejects a query with an unbalanced brace.
        String promtool = promtool();
        Path file = tmp.resolve("broken.rules.yml");
        Files.writeString(file, "groups:\n  - name: broken\n    rules:\n      - record: dashboard:broken\n        expr: "
                + jsonString("max by (series) (anomaly_detector_value{instance=~\"x\")") + "\n");
        Process p = new ProcessBuilder(promtool, "check", "rules", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("parse error");
    }

    // ---------------------------------------------------------------------------------------------------

    /** Every panel, rows' nested panels included. */
    private static List<JsonNode> allPanels() {
        List<JsonNode> out = new ArrayList<>();
        collect(dashboard.path("panels"), out);
        return out;
    }

    private static void collect(JsonNode panels, List<JsonNode> out) {
        for (JsonNode panel : panels) {
            out.add(panel);
            collect(panel.path("panels"), out);
        }
    }

    /** Panels that query data (not rows). */
    private static List<JsonNode> queryPanels() {
        return allPanels().stream().filter(p -> !"row".equals(p.path("type").asText())).toList();
    }

    /** Every PromQL expression of the dashboard (panel queries and annotations), keyed by where it is. */
    private static Map<String, String> expressions() {
        Map<String, String> exprs = new LinkedHashMap<>();
        for (JsonNode panel : queryPanels()) {
            for (JsonNode target : panel.path("targets")) {
                exprs.put("panel " + panel.path("id").asInt() + " '" + panel.path("title").asText() + "' query "
                        + target.path("refId").asText(), target.path("expr").asText());
            }
        }
        for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            if (annotation.hasNonNull("expr")) {
                exprs.put("annotation '" + annotation.path("name").asText() + "'", annotation.path("expr").asText());
            }
        }
        return exprs;
    }

    /** The series selector of a variable's {@code label_values(SELECTOR, label)} query. */
    private static String labelValuesSelector(JsonNode variable) {
        String q = variable.path("query").path("query").asText(variable.path("definition").asText());
        assertThat(q).as("variable %s", variable.path("name").asText()).startsWith("label_values(").endsWith(")");
        String inner = q.substring("label_values(".length(), q.length() - 1);
        int comma = inner.lastIndexOf(',');
        assertThat(comma).as("label_values with a selector: %s", q).isPositive();
        return inner.substring(0, comma).trim();
    }

    private static Set<String> variablesIn(String text) {
        Set<String> names = new HashSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            names.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return names;
    }

    /** What Grafana would send for one selected instance and feature, and a 1 m rate interval. */
    private static String substituteVariables(String expr) {
        return expr.replace("${instance}", "web-1:9100").replace("$instance", "web-1:9100")
                .replace("${feature}", "cpu").replace("$feature", "cpu")
                .replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "1h")
                .replace("$fetch_interval", "15s");
    }

    /** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
    private static String jsonString(String s) {
        try {
            return new ObjectMapper().writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The datasource uids in the Grafana provisioning files (lines "uid: X"). */
    private static Set<String> provisionedDatasourceUids() throws IOException {
        Set<String> uids = new HashSet<>();
        try (var files = Files.list(deployDir.resolve("grafana/provisioning/datasources"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String t = line.trim();
                    if (t.startsWith("uid:")) {
                        uids.add(t.substring(4).trim());
                    }
                }
            }
        }
        return uids;
    }

    private static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "promtool");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        String message = "promtool (Debian package prometheus) is not on the PATH: install it with "
                + "apt-get install --no-install-recommends prometheus, or run deploy/test/prometheus-check.sh";
        if (Boolean.getBoolean("anomaly.require.promtool")) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
        return null;
    }
}
