package dev.anomaly.job.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anomaly.models.io.SeriesFormatException;
import dev.anomaly.models.io.ValueSeriesReader;
import dev.anomaly.models.sarima.OneStepPredictions;
import dev.anomaly.models.sarima.SarimaEstimator;
import dev.anomaly.models.sarima.SarimaException;
import dev.anomaly.models.sarima.SarimaFit;
import dev.anomaly.models.sarima.SarimaForecast;
import dev.anomaly.models.sarima.SarimaModel;
import dev.anomaly.models.sarima.SarimaOrder;
import dev.anomaly.models.sarima.SarimaParams;
import dev.anomaly.models.sarima.SarimaSpec;
import dev.anomaly.models.sarima.Trend;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code anomaly sarima}: filters a series with given SARIMA parameters, or fits them by exact MLE, and prints the
 * parameters, likelihood, one-step predictions and forecasts (JSON with {@code --json}, else a summary table).
 * One-step arrays and the forecast refer to the differenced series; {@code mean_original_scale} integrates back.
 */
final class SarimaCommand {
    static final String SYNOPSIS = "sarima --input FILE --order p,d,q [--seasonal P,D,Q,s] [--trend n|c]"
            + " [--params v1,v2,...] [--forecast H] [--json]";
    static final int DEFAULT_HORIZON = 24;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;

    SarimaCommand(PrintStream out) {
        this.out = out;
    }

    void run(String[] args) {
        CommandLineOptions o = CommandLineOptions.parse("sarima", args,
                Set.of("--input", "--order", "--seasonal", "--trend", "--params", "--forecast"), Set.of("--json"));
        Path input = Path.of(o.required("--input"));
        int[] order = o.integers("--order", o.required("--order"), 3);
        int[] seasonal = o.optional("--seasonal") == null ? new int[4]
                : o.integers("--seasonal", o.optional("--seasonal"), 4);
        String trendCode = o.optional("--trend") == null ? "n" : o.optional("--trend");
        if (!trendCode.equals("n") && !trendCode.equals("c")) {
            throw new UsageException("sarima: --trend must be n (none) or c (intercept), got '" + trendCode + "'");
        }
        int horizon = o.optional("--forecast") == null ? DEFAULT_HORIZON
                : o.nonNegativeInteger("--forecast", o.optional("--forecast"));
        try {
            SarimaSpec spec = new SarimaSpec(new SarimaOrder(order[0], order[1], order[2], seasonal[0], seasonal[1],
                    seasonal[2], seasonal[3]), Trend.fromCode(trendCode));
            double[] y = ValueSeriesReader.read(input);
            Result r = o.optional("--params") == null ? fit(y, spec) : filter(y, spec,
                    o.numbers("--params", o.optional("--params")));
            OneStepPredictions oneStep = r.model.filter(y);
            SarimaForecast forecast = r.model.forecast(y, horizon);
            if (o.flag("--json")) {
                out.println(json(r, oneStep, forecast));
            } else {
                out.print(table(r, oneStep, forecast));
            }
        } catch (SarimaException | SeriesFormatException e) {
            throw new UsageException("sarima: " + e.getMessage());
        }
    }

    private record Result(SarimaModel model, double llf, double aic, double bic, int nobs, Boolean converged) {
    }

    private static Result fit(double[] y, SarimaSpec spec) {
        SarimaFit f = new SarimaEstimator().fit(y, spec);
        return new Result(f.model(), f.logLikelihood(), f.aic(), f.bic(), f.nobs(), f.converged());
    }

    private static Result filter(double[] y, SarimaSpec spec, double[] vector) {
        SarimaParams params = SarimaParams.fromVector(spec, vector);
        SarimaModel model = new SarimaModel(spec, params);
        double[] w = model.differencing().apply(y);
        int observed = 0;
        for (double v : w) {
            if (!Double.isNaN(v)) {
                observed++;
            }
        }
        SarimaEstimator.requireEnoughObservations(spec, observed);
        OneStepPredictions p = model.filter(y);
        int k = spec.parameterCount();
        double llf = p.logLikelihood();
        // nobs as statsmodels counts it: the periods of the differenced series, missing ones included
        return new Result(model, llf, -2 * llf + 2 * k, -2 * llf + k * Math.log(w.length), w.length, null);
    }

    private static String json(Result r, OneStepPredictions oneStep, SarimaForecast f) {
        SarimaSpec spec = r.model.spec();
        ObjectNode root = JSON.createObjectNode();
        root.set("params", array(r.model.params().toVector(spec)));
        ArrayNode names = root.putArray("param_names");
        spec.parameterNames().forEach(names::add);
        root.put("loglik", r.llf);
        root.put("aic", r.aic);
        root.put("bic", r.bic);
        root.put("nobs", r.nobs);
        ObjectNode model = root.putObject("model");
        SarimaOrder o = spec.order();
        model.set("order", JSON.valueToTree(List.of(o.p(), o.d(), o.q())));
        model.set("seasonal_order", JSON.valueToTree(List.of(o.seasonalP(), o.seasonalD(), o.seasonalQ(), o.period())));
        model.put("trend", spec.trend().code());
        if (r.converged != null) {
            model.put("converged", r.converged);
        }
        ObjectNode one = root.putObject("one_step");
        one.set("pred", array(oneStep.predicted()));
        one.set("resid", array(oneStep.residuals()));
        one.set("pred_var", array(oneStep.predictionVariance()));
        one.set("std_resid", array(oneStep.standardisedResiduals()));
        ObjectNode fc = root.putObject("forecast");
        fc.set("mean", array(f.mean()));
        fc.set("se", array(f.standardError()));
        fc.set("lower95", array(f.lower95()));
        fc.set("upper95", array(f.upper95()));
        fc.set("mean_original_scale", array(f.meanOriginalScale()));
        fc.set("se_original_scale", array(f.standardErrorOriginalScale()));
        fc.set("lower95_original_scale", array(f.lower95OriginalScale()));
        fc.set("upper95_original_scale", array(f.upper95OriginalScale()));
        return root.toString();
    }

    /** Non-finite values (a missing observation's residual) become JSON null. */
    private static ArrayNode array(double[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
        return a;
    }

    private static String table(Result r, OneStepPredictions oneStep, SarimaForecast f) {
        SarimaSpec spec = r.model.spec();
        StringBuilder b = new StringBuilder();
        b.append(String.format("SARIMA%s  trend=%s  %s%n", spec.order(), spec.trend().code(),
                r.converged == null ? "fixed parameters" : (r.converged ? "exact MLE, converged" : "exact MLE, NOT converged")));
        b.append(String.format("nobs (after differencing) %d   log-likelihood %.6f   AIC %.4f   BIC %.4f%n%n",
                r.nobs, r.llf, r.aic, r.bic));
        b.append(String.format("%-12s %16s%n", "parameter", "value"));
        double[] v = r.model.params().toVector(spec);
        List<String> names = spec.parameterNames();
        for (int i = 0; i < v.length; i++) {
            b.append(String.format("%-12s %16.8f%n", names.get(i), v[i]));
        }
        double[] std = oneStep.standardisedResiduals();
        double maxAbs = 0;
        int at = -1;
        for (int t = 0; t < std.length; t++) {
            if (Math.abs(std[t]) > maxAbs) {
                maxAbs = Math.abs(std[t]);
                at = t;
            }
        }
        int loss = spec.order().differencingLoss();
        b.append(String.format("%nlargest standardised residual %.3f at row %d%n", maxAbs, at + loss));
        if (f.horizon() > 0) {
            b.append(String.format("%n%-4s %16s %16s %16s %16s%n", "h", "forecast", "se", "lower95", "upper95"));
            for (int h = 0; h < f.horizon(); h++) {
                b.append(String.format("%-4d %16.6f %16.6f %16.6f %16.6f%n", h + 1, f.meanOriginalScale()[h],
                        f.standardErrorOriginalScale()[h], f.lower95OriginalScale()[h], f.upper95OriginalScale()[h]));
            }
            b.append("(forecasts on the original scale)\n");
        }
        return b.toString();
    }
}
