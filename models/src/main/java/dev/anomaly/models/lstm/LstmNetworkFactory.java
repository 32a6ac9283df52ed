package dev.anomaly.models.lstm;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the DL4J network the trainer fits: stacked LSTM layers (tanh cell, sigmoid gates), the last one
 * reduced to its final time step, then one linear unit with MSE loss. Input is univariate, shape
 * {@code [batch, 1, seqLen]} (NCW), in double precision so the plain-Java forward pass can match it exactly.
 */
public final class LstmNetworkFactory {

    static {
        // ND4J finds its backend through the thread context classloader unless told otherwise (STACK.md trap 5).
        ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class);
    }

    private LstmNetworkFactory() {
    }

    /** Returns an initialised network for {@code config}; equal configs give equal initial weights. */
    public static MultiLayerNetwork create(LstmConfig config) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(config.learningRate()))
                .list();
        for (int i = 0; i < config.layers(); i++) {
            Layer lstm = new LSTM.Builder()
                    .nIn(i == 0 ? 1 : config.hiddenSize())
                    .nOut(config.hiddenSize())
                    .activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID)
                    .dataFormat(RNNFormat.NCW)
                    .build();
            list.layer(i == config.layers() - 1 ? new LastTimeStep(lstm) : lstm);
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(config.hiddenSize())
                .nOut(1)
                .activation(Activation.IDENTITY)
                .build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
