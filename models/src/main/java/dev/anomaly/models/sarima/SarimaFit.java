package dev.anomaly.models.sarima;

/**
 * The result of fitting a SARIMA model by exact maximum likelihood: the model, its log-likelihood on the
 * differenced series, AIC, BIC, the number of periods of the differenced series ({@code nobs}: statsmodels' count,
 * missing values included, which BIC uses too) and whether the optimiser converged.
 */
public record SarimaFit(SarimaModel model, double logLikelihood, double aic, double bic, int nobs,
                        int evaluations, boolean converged) {

    /** The fitted parameters in statsmodels' order. */
    public double[] parameterVector() {
        return model.params().toVector(model.spec());
    }
}
