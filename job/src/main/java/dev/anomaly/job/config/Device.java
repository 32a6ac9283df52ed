package dev.anomaly.job.config;

/** DEVICE: where LSTM inference runs. */
public enum Device {
    /** The plain-Java CPU path. */
    CPU,
    /** A GPU backend; fails at start when none is usable. */
    CUDA,
    /** A GPU if one is usable, else the CPU (one log line says which). */
    AUTO
}
