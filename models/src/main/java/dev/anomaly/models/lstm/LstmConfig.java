package dev.anomaly.models.lstm;

/**
 * Architecture and training settings of the residual LSTM, validated once at construction.
 *
 * @param layers             stacked LSTM layers, at least 1
 * @param hiddenSize         units per LSTM layer, at least 1
 * @param seqLen             window length fed to the network (the original design's {@code SEQ_LEN})
 * @param epochs             maximum passes over the training windows
 * @param learningRate       Adam step size, finite and positive
 * @param batchSize          windows per gradient step
 * @param seed               seed for weight initialisation and shuffling; equal seeds give equal weights
 * @param validationFraction share of the (latest) windows held out for early stopping, in [0, 1);
 *                           0 trains on everything for {@code epochs} epochs
 * @param patience           epochs without a validation improvement before training stops
 */
public record LstmConfig(
        int layers,
        int hiddenSize,
        int seqLen,
        int epochs,
        double learningRate,
        int batchSize,
        long seed,
        double validationFraction,
        int patience) {

    public LstmConfig {
        requireAtLeast("layers", layers, 1);
        requireAtLeast("hiddenSize", hiddenSize, 1);
        requireAtLeast("seqLen", seqLen, 1);
        requireAtLeast("epochs", epochs, 1);
        requireAtLeast("batchSize", batchSize, 1);
        requireAtLeast("patience", patience, 1);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
        }
    }

    /** One 32-unit layer over 60-step windows, Adam 1e-3, batches of 32, 20% validation, patience 5. */
    public static LstmConfig defaults() {
        return new LstmConfig(1, 32, 60, 50, 1e-3, 32, 42L, 0.2, 5);
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
    }
}
