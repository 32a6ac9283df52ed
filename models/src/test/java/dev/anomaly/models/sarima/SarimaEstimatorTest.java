package dev.anomaly.models.sarima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Exact MLE against statsmodels' fitted results for every fixture, at the fixtures' README tolerances. */
class SarimaEstimatorTest {

    static List<SarimaFixture> fixtures() {
        return SarimaFixture.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void reachesTheBestStatsmodelsLikelihood(SarimaFixture fx) {
        SarimaFit fit = new SarimaEstimator().fit(fx.series(), fx.spec());
        double bestLlf = fx.fittedSummary().get("best_llf").asDouble();
        System.out.printf("%s llf=%.6f best=%.6f diff=%.4f evals=%d params=%s%n", fx.id(), fit.logLikelihood(),
                bestLlf, fit.logLikelihood() - bestLlf, fit.evaluations(),
                java.util.Arrays.toString(fit.parameterVector()));
        assertThat(fit.logLikelihood()).isGreaterThanOrEqualTo(bestLlf - 0.5);
        // The reported llf is the likelihood of the reported model, not an optimiser by-product.
        assertThat(fit.model().logLikelihood(fx.series())).isCloseTo(fit.logLikelihood(),
                org.assertj.core.api.Assertions.within(1e-6 * Math.abs(fit.logLikelihood())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void parametersAndForecastsMatchWhereComparable(SarimaFixture fx) {
        if (!fx.fittedSummary().get("params_comparable").asBoolean()) {
            return; // the README: elsewhere the likelihood is flat or multi-modal and parameters say little
        }
        SarimaFit fit = new SarimaEstimator().fit(fx.series(), fx.spec());
        JsonNode ref = fx.fitted("sarimax_lbfgs_simple_diff");
        SarimaParams refParams = SarimaParams.fromVector(fx.spec(), SarimaFixture.doubles(ref.get("params")));
        SarimaParams got = fit.model().params();
        assertWithin("ar", got.ar(), refParams.ar(), 0.05);
        assertWithin("ma", got.ma(), refParams.ma(), 0.05);
        assertWithin("seasonal ar", got.seasonalAr(), refParams.seasonalAr(), 0.05);
        assertWithin("seasonal ma", got.seasonalMa(), refParams.seasonalMa(), 0.05);
        assertThat(Math.abs(got.sigma2() / refParams.sigma2() - 1)).as("sigma2").isLessThanOrEqualTo(0.05);

        JsonNode f = ref.get("forecast");
        double[] refMean = SarimaFixture.doubles(ref.has("forecast_undifferenced_mean")
                ? ref.get("forecast_undifferenced_mean") : f.get("mean"));
        double[] mean = fit.model().forecast(fx.series(), refMean.length).meanOriginalScale();
        double sigma = Math.sqrt(refParams.sigma2());
        for (int i = 0; i < refMean.length; i++) {
            assertThat(Math.abs(mean[i] - refMean[i])).as("forecast[%d]", i).isLessThanOrEqualTo(0.1 * sigma);
        }
    }

    @Test
    void aicAndBicFollowStatsmodelsDefinitions() {
        SarimaFixture fx = SarimaFixture.all().stream().filter(f -> f.id().equals("s02_arma11_const")).findFirst()
                .orElseThrow();
        SarimaFit fit = new SarimaEstimator().fit(fx.series(), fx.spec());
        int k = fx.fitted("sarimax_lbfgs_simple_diff").get("df_model").asInt();
        int n = fx.fitted("sarimax_lbfgs_simple_diff").get("nobs_effective").asInt();
        assertThat(fit.nobs()).isEqualTo(n);
        assertThat(fit.aic()).isCloseTo(-2 * fit.logLikelihood() + 2 * k, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(fit.bic()).isCloseTo(-2 * fit.logLikelihood() + k * Math.log(n),
                org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void constantSeriesIsRejectedWithAClearMessage() {
        double[] y = new double[100];
        java.util.Arrays.fill(y, 3.5);
        assertThatThrownBy(() -> new SarimaEstimator().fit(y, new SarimaSpec(SarimaOrder.of(1, 0, 1), Trend.CONSTANT)))
                .isInstanceOf(SarimaException.class).hasMessageContaining("constant");
    }

    @Test
    void tooShortSeriesIsRejectedWithAClearMessage() {
        double[] y = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThatThrownBy(() -> new SarimaEstimator().fit(y,
                new SarimaSpec(SarimaOrder.of(1, 0, 1, 1, 1, 1, 12), Trend.NONE)))
                .isInstanceOf(SarimaException.class).hasMessageContaining("too short");
    }

    @Test
    void missingValuesAreSkippedByTheLikelihood() {
        SarimaFixture fx = SarimaFixture.all().stream().filter(f -> f.id().equals("s01_arma11")).findFirst()
                .orElseThrow();
        double[] y = fx.series().clone();
        for (int t = 20; t < y.length; t += 17) {
            y[t] = Double.NaN;
        }
        SarimaFit fit = new SarimaEstimator().fit(y, fx.spec());
        // statsmodels' nobs counts the missing periods too (MLEResults.nobs is the filter's number of periods)
        assertThat(fit.nobs()).isEqualTo(y.length);
        double[] ref = SarimaParams.fromVector(fx.spec(),
                SarimaFixture.doubles(fx.fitted("sarimax_lbfgs_simple_diff").get("params"))).ar();
        assertThat(fit.model().params().ar()[0]).isCloseTo(ref[0], org.assertj.core.api.Assertions.within(0.1));
    }

    private static void assertWithin(String what, double[] got, double[] ref, double tol) {
        assertThat(got).hasSize(ref.length);
        for (int i = 0; i < ref.length; i++) {
            assertThat(Math.abs(got[i] - ref[i])).as("%s[%d]: %s vs %s", what, i, got[i], ref[i])
                    .isLessThanOrEqualTo(tol);
        }
    }
}
