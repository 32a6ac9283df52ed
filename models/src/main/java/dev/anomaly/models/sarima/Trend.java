package dev.anomaly.models.sarima;

/** The deterministic trend of a SARIMA model, with statsmodels' codes ('n' none, 'c' intercept). */
public enum Trend {
    NONE("n"),
    CONSTANT("c");

    private final String code;

    Trend(String code) {
        this.code = code;
    }

    /** statsmodels' code for this trend. */
    public String code() {
        return code;
    }

    /** Parses statsmodels' code 'n' or 'c'. */
    public static Trend fromCode(String code) {
        for (Trend t : values()) {
            if (t.code.equalsIgnoreCase(code)) {
                return t;
            }
        }
        throw new SarimaException("unknown trend '" + code + "'; expected 'n' (none) or 'c' (intercept)");
    }
}
