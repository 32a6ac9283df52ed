package dev.anomaly.models.lstm;

import dev.anomaly.models.preprocessing.Windows;
import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fits the network of {@link LstmNetworkFactory} to predict the value after each window, with Adam on
 * shuffled minibatches and early stopping on the latest {@code validationFraction} of the windows.
 * Deterministic: weights and shuffling both come from the config's seed.
 */
public final class LstmTrainer {

    private final LstmConfig config;

    public LstmTrainer(LstmConfig config) {
        this.config = config;
    }

    /** Trains on {@code windows}, whose length must be the config's {@code seqLen}. */
    public LstmTrainingResult train(Windows windows) {
        return train(windows.x(), windows.y());
    }

    /**
     * Trains on {@code x[i] → y[i]}; windows are taken in time order, so the last ones become the
     * validation set. Keeps the parameters of the epoch with the lowest validation MSE.
     */
    public LstmTrainingResult train(double[][] x, double[] y) {
        validate(x, y);
        int validation = (int) Math.floor(x.length * config.validationFraction());
        int training = x.length - validation;
        if (training < 1) {
            throw new IllegalArgumentException("no training windows left after holding out " + validation);
        }
        MultiLayerNetwork net = LstmNetworkFactory.create(config);
        INDArray validationX = validation == 0 ? null : features(x, training, validation, null);

        Random random = new Random(config.seed());
        int[] order = new int[training];
        Arrays.setAll(order, i -> i);
        double[] trainingLoss = new double[config.epochs()];
        double[] validationMse = new double[validation == 0 ? 0 : config.epochs()];
        INDArray best = null;
        int bestEpoch = 0;
        int epoch = 0;
        while (epoch < config.epochs()) {
            shuffle(order, random);
            trainingLoss[epoch] = fitEpoch(net, x, y, order);
            if (validation > 0) {
                validationMse[epoch] = mse(net.output(validationX), y, training);
                if (best == null || validationMse[epoch] < validationMse[bestEpoch]) {
                    best = net.params().dup();
                    bestEpoch = epoch;
                }
            } else {
                bestEpoch = epoch;
            }
            epoch++;
            if (validation > 0 && epoch - 1 - bestEpoch >= config.patience()) {
                break;
            }
        }
        if (best != null) {
            net.setParams(best);
        }
        double[] ranLoss = Arrays.copyOf(trainingLoss, epoch);
        double[] ranMse = Arrays.copyOf(validationMse, validation == 0 ? 0 : epoch);
        return new LstmTrainingResult(net, LstmWeights.from(net), ranLoss, ranMse, bestEpoch);
    }

    private double fitEpoch(MultiLayerNetwork net, double[][] x, double[] y, int[] order) {
        double lossSum = 0;
        int batches = 0;
        for (int start = 0; start < order.length; start += config.batchSize()) {
            int size = Math.min(config.batchSize(), order.length - start);
            int[] rows = Arrays.copyOfRange(order, start, start + size);
            double[] labels = new double[size];
            for (int i = 0; i < size; i++) {
                labels[i] = y[rows[i]];
            }
            net.fit(features(x, 0, size, rows), Nd4j.create(labels, new long[] {size, 1}, 'c'));
            lossSum += net.score();
            batches++;
        }
        return lossSum / batches;
    }

    /** Builds an NCW array {@code [count, 1, seqLen]} from rows {@code from..from+count-1}, or from {@code rows}. */
    private INDArray features(double[][] x, int from, int count, int[] rows) {
        int seqLen = config.seqLen();
        double[] data = new double[count * seqLen];
        for (int i = 0; i < count; i++) {
            System.arraycopy(x[rows == null ? from + i : rows[i]], 0, data, i * seqLen, seqLen);
        }
        return Nd4j.create(data, new long[] {count, 1, seqLen}, 'c');
    }

    private static double mse(INDArray predicted, double[] y, int offset) {
        double[] p = predicted.dup().reshape(-1).toDoubleVector();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double d = p[i] - y[offset + i];
            sum += d * d;
        }
        return sum / p.length;
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    private void validate(double[][] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " windows but " + y.length + " targets");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("no training windows");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != config.seqLen()) {
                throw new IllegalArgumentException(
                        "window " + i + " has " + x[i].length + " values, seqLen is " + config.seqLen());
            }
        }
        for (double v : y) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("targets must be finite, got " + v);
            }
        }
    }
}
