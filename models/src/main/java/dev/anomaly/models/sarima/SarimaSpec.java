package dev.anomaly.models.sarima;

import java.util.ArrayList;
import java.util.List;

/** A SARIMA model structure: its orders and trend, and hence its parameter vector layout (statsmodels' order). */
public record SarimaSpec(SarimaOrder order, Trend trend) {

    public SarimaSpec {
        if (order == null || trend == null) {
            throw new SarimaException("SARIMA spec needs an order and a trend");
        }
    }

    /** True if the model has an intercept. */
    public boolean hasIntercept() {
        return trend == Trend.CONSTANT;
    }

    /** Number of parameters including sigma2 (statsmodels' df_model). */
    public int parameterCount() {
        return (hasIntercept() ? 1 : 0) + order.p() + order.q() + order.seasonalP() + order.seasonalQ() + 1;
    }

    /** statsmodels' parameter names: intercept, ar.L*, ma.L*, ar.S.L*, ma.S.L*, sigma2. */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        if (hasIntercept()) {
            names.add("intercept");
        }
        for (int i = 1; i <= order.p(); i++) {
            names.add("ar.L" + i);
        }
        for (int i = 1; i <= order.q(); i++) {
            names.add("ma.L" + i);
        }
        for (int i = 1; i <= order.seasonalP(); i++) {
            names.add("ar.S.L" + (i * order.period()));
        }
        for (int i = 1; i <= order.seasonalQ(); i++) {
            names.add("ma.S.L" + (i * order.period()));
        }
        names.add("sigma2");
        return names;
    }

    @Override
    public String toString() {
        return "SARIMA" + order + " trend=" + trend.code();
    }
}
