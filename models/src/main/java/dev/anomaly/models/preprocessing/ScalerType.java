package dev.anomaly.models.preprocessing;

/** The scalers a configuration can name; each fits its {@link Scaler} from a series. */
public enum ScalerType {
    /** Mean and standard deviation (the original design's "mean/std scaling"). */
    STANDARD {
        @Override
        public Scaler fit(double[] series) {
            return StandardScaler.fit(series);
        }
    },
    /** Median and scaled MAD, insensitive to the spikes an anomaly detector is looking for. */
    ROBUST {
        @Override
        public Scaler fit(double[] series) {
            return RobustScaler.fit(series);
        }
    };

    /** Fits a scaler of this type, ignoring non-finite values. */
    public abstract Scaler fit(double[] series);
}
