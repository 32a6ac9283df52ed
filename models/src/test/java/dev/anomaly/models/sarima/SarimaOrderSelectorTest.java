package dev.anomaly.models.sarima;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SarimaOrderSelectorTest {

    @Test
    void picksTheLowestAicOverTheWholeGrid() {
        SarimaFixture fx = SarimaFixture.all().stream().filter(f -> f.id().equals("s07_ar2")).findFirst().orElseThrow();
        SarimaOrderSelector.Selection sel = SarimaOrderSelector.defaultGrid().select(fx.series(), 0, 0, 0, Trend.NONE);
        assertThat(sel.candidates()).hasSize(9);
        double minAic = sel.candidates().stream().mapToDouble(SarimaOrderSelector.Candidate::aic).min().orElseThrow();
        assertThat(sel.best().aic()).isEqualTo(minAic);
        // The generating AR(2) model is in the grid; no lower-AIC pick may be worse in likelihood than AR(1).
        SarimaFit ar2 = new SarimaEstimator().fit(fx.series(), new SarimaSpec(SarimaOrder.of(2, 0, 0), Trend.NONE));
        SarimaFit ar1 = new SarimaEstimator().fit(fx.series(), new SarimaSpec(SarimaOrder.of(1, 0, 0), Trend.NONE));
        assertThat(sel.best().aic()).isLessThanOrEqualTo(ar2.aic());
        assertThat(sel.best().logLikelihood()).isGreaterThan(ar1.logLikelihood());
    }

    @Test
    void recoversAClearlySeasonalStructure() {
        Random rnd = new Random(3);
        int n = 600;
        int s = 12;
        double[] y = new double[n];
        double[] e = new double[n];
        for (int t = 0; t < n; t++) {
            e[t] = rnd.nextGaussian();
            double sar = t >= s ? 0.8 * y[t - s] : 0.0;
            y[t] = sar + e[t];
        }
        SarimaOrderSelector.Selection sel = new SarimaOrderSelector(1, 1, 1, 1, new SarimaEstimator())
                .select(y, 0, 0, s, Trend.NONE);
        assertThat(sel.best().model().spec().order().seasonalP()).isEqualTo(1);
        assertThat(sel.best().model().params().seasonalAr()[0]).isBetween(0.7, 0.9);
    }

    @Test
    void failingCandidatesAreReportedNotHidden() {
        double[] y = new double[25];
        Random rnd = new Random(1);
        for (int t = 0; t < y.length; t++) {
            y[t] = rnd.nextGaussian();
        }
        SarimaOrderSelector.Selection sel = new SarimaOrderSelector(1, 1, 1, 1, new SarimaEstimator())
                .select(y, 0, 0, 24, Trend.CONSTANT);
        assertThat(sel.candidates()).anyMatch(c -> c.fit() == null && c.failure().contains("too short"));
        assertThat(sel.best().model().spec().order().seasonal()).isFalse();
        double[] tiny = {1, 2};
        assertThatThrownBy(() -> SarimaOrderSelector.defaultGrid().select(tiny, 0, 0, 0, Trend.NONE))
                .isInstanceOf(SarimaException.class).hasMessageContaining("no SARIMA order");
    }
}
