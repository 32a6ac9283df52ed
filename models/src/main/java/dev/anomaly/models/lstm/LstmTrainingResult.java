package dev.anomaly.models.lstm;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What {@link LstmTrainer} produced: the network holding the best epoch's parameters, their plain-Java
 * copy, and the per-epoch losses.
 *
 * @param network        the trained DL4J network (best parameters restored)
 * @param weights        a copy of {@code network}'s parameters for {@link LstmForwardPass}
 * @param trainingLoss   mean minibatch MSE of each epoch that ran
 * @param validationMse  validation MSE after each epoch that ran; empty without a validation split
 * @param bestEpoch      0-based epoch whose parameters were kept
 */
public record LstmTrainingResult(
        MultiLayerNetwork network,
        LstmWeights weights,
        double[] trainingLoss,
        double[] validationMse,
        int bestEpoch) {

    /** Number of epochs that ran before the end or early stopping. */
    public int epochsRun() {
        return trainingLoss.length;
    }

    /** Validation MSE of the kept parameters, or NaN without a validation split. */
    public double bestValidationMse() {
        return validationMse.length == 0 ? Double.NaN : validationMse[bestEpoch];
    }
}
