package dev.anomaly.sources.host;

/** Number fields of {@code /proc} files. */
final class ProcNumbers {

    private ProcNumbers() {
    }

    /** A non-negative counter (unsigned 64-bit in the kernel; values above 2^63 are not expected). */
    static long parseCounter(String field, String file, String line) {
        try {
            long v = Long.parseLong(field);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ProcFormatException(file + ": '" + field + "' is not a counter in line '" + line.trim() + "'");
        }
    }
}
