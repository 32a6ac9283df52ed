package dev.anomaly.models.sarima;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batch filter and forecaster against statsmodels' {@code simple_diff_stationary} variant for the fixed
 * parameters of every fixture, at the tolerances of the fixtures' README.
 */
class SarimaFixedParameterTest {

    static List<SarimaFixture> fixtures() {
        return SarimaFixture.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void oneStepPredictionsAndLikelihoodMatchStatsmodels(SarimaFixture fx) {
        SarimaSpec spec = fx.spec();
        SarimaParams params = SarimaParams.fromVector(spec, fx.fixedParams());
        JsonNode ref = fx.variant("simple_diff_stationary");
        OneStepPredictions out = new SarimaModel(spec, params).filter(fx.series());

        double sigma = Math.sqrt(params.sigma2());
        assertThat(out.size()).isEqualTo(ref.get("nobs").asInt());
        double llf = ref.get("llf").asDouble();
        assertThat(Math.abs(out.logLikelihood() - llf)).as("llf").isLessThanOrEqualTo(1e-6 * Math.max(1, Math.abs(llf)));
        assertClose("pred", out.predicted(), SarimaFixture.doubles(ref.at("/one_step/pred")), sigma);
        assertClose("resid", out.residuals(), SarimaFixture.doubles(ref.at("/one_step/resid")), sigma);
        assertRelative("pred_var", out.predictionVariance(), SarimaFixture.doubles(ref.at("/one_step/pred_var")));
        double[] std = out.standardisedResiduals();
        double[] refStd = SarimaFixture.doubles(ref.at("/one_step/std_resid"));
        for (int t = 0; t < std.length; t++) {
            assertThat(Math.abs(std[t] - refStd[t])).as("std_resid[%d]", t)
                    .isLessThanOrEqualTo(1e-6 * Math.abs(refStd[t]) + 1e-6);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void forecastsMatchStatsmodels(SarimaFixture fx) {
        SarimaSpec spec = fx.spec();
        SarimaParams params = SarimaParams.fromVector(spec, fx.fixedParams());
        JsonNode ref = fx.variant("simple_diff_stationary");
        JsonNode f = ref.get("forecast");
        int h = f.get("h").asInt();
        SarimaForecast out = new SarimaModel(spec, params).forecast(fx.series(), h);

        double sigma = Math.sqrt(params.sigma2());
        assertClose("mean", out.mean(), SarimaFixture.doubles(f.get("mean")), sigma);
        assertClose("se", out.standardError(), SarimaFixture.doubles(f.get("se")), sigma);
        assertClose("lower95", out.lower95(), SarimaFixture.doubles(f.get("lower95")), sigma);
        assertClose("upper95", out.upper95(), SarimaFixture.doubles(f.get("upper95")), sigma);
        double[] original = ref.has("forecast_undifferenced_mean")
                ? SarimaFixture.doubles(ref.get("forecast_undifferenced_mean"))
                : SarimaFixture.doubles(f.get("mean"));
        assertClose("mean_original_scale", out.meanOriginalScale(), original, sigma);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void originalScaleStandardErrorsMatchTheExactDiffuseForecast(SarimaFixture fx) {
        // statsmodels' exact-diffuse variant keeps the differencing in the state vector: its original-scale
        // forecast is an independent check of our integration of the forecast error covariances.
        SarimaSpec spec = fx.spec();
        SarimaParams params = SarimaParams.fromVector(spec, fx.fixedParams());
        JsonNode f = fx.variant("exact_diffuse").get("forecast");
        SarimaForecast out = new SarimaModel(spec, params).forecast(fx.series(), f.get("h").asInt());
        double sigma = Math.sqrt(params.sigma2());
        assertClose("mean", out.meanOriginalScale(), SarimaFixture.doubles(f.get("mean")), sigma);
        assertClose("se", out.standardErrorOriginalScale(), SarimaFixture.doubles(f.get("se")), sigma);
        assertClose("lower95", out.lower95OriginalScale(), SarimaFixture.doubles(f.get("lower95")), sigma);
        assertClose("upper95", out.upper95OriginalScale(), SarimaFixture.doubles(f.get("upper95")), sigma);
    }

    static void assertClose(String what, double[] actual, double[] expected, double sigma) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-6 * Math.abs(expected[i]) + 1e-6 * sigma;
            assertThat(Math.abs(actual[i] - expected[i])).as("%s[%d]: %s vs %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(tol);
        }
    }

    static void assertRelative(String what, double[] actual, double[] expected) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("%s[%d]: %s vs %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(1e-6 * Math.abs(expected[i]));
        }
    }
}
