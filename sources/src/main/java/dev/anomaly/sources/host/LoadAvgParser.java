package dev.anomaly.sources.host;

/** Reads {@code /proc/loadavg}. */
public final class LoadAvgParser {

    /** The label values of the three averages, in file order. */
    public static final String[] PERIODS = {"1m", "5m", "15m"};

    private LoadAvgParser() {
    }

    /**
     * The 1, 5 and 15 minute load averages.
     *
     * @throws ProcFormatException if the file does not start with three non-negative numbers
     */
    public static double[] parse(String text) {
        String[] f = text.trim().split("\\s+");
        if (f.length < 3) {
            throw new ProcFormatException("/proc/loadavg: '" + text.trim() + "' has fewer than three averages");
        }
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            try {
                out[i] = Double.parseDouble(f[i]);
            } catch (NumberFormatException e) {
                out[i] = Double.NaN;
            }
            if (!(out[i] >= 0) || Double.isInfinite(out[i])) {
                throw new ProcFormatException("/proc/loadavg: '" + f[i] + "' is not a load average");
            }
        }
        return out;
    }
}
