package dev.anomaly.job.cli;

/** A command line or input the CLI cannot act on: reported as one line on stderr with exit code 2. */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
