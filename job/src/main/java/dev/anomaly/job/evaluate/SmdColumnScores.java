package dev.anomaly.job.evaluate;

/**
 * One metric column of one SMD machine after scoring: per-row scores s / (s + 3) of the detector's surprise s on the
 * training half (in-sample) and on the test half, the test predictions and decisions for plots, and why the
 * detector failed if it did.
 *
 * @param trainScores in-sample scores of the training rows ({@code SmdEvaluation.rowScore} of the surprise)
 * @param testScores scores of the test rows, likewise
 * @param testPredictions the detector's prediction per test row (NaN where it has none)
 * @param testDecisions the detector's own per-row decision on the test rows
 * @param failure why the detector failed on this column (its scores are then all 0), or null
 */
record SmdColumnScores(double[] trainScores, double[] testScores, double[] testPredictions, boolean[] testDecisions,
                       String failure) {

    static SmdColumnScores failed(int trainRows, int testRows, String failure) {
        double[] predictions = new double[testRows];
        java.util.Arrays.fill(predictions, Double.NaN);
        return new SmdColumnScores(new double[trainRows], new double[testRows], predictions, new boolean[testRows],
                failure);
    }
}
