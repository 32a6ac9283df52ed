package dev.anomaly.job.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of {@code bin/anomaly}: dispatches to a sub-command. Exit codes: 0 success, 2 bad usage or input
 * (one line on stderr naming the problem), 1 an unexpected internal error.
 */
public final class AnomalyCli {
    static final String USAGE = String.join("\n",
            "usage: anomaly <command> [options]",
            "commands:",
            "  run      the streaming job on an embedded Flink cluster; default: this host's metrics ("
                    + RunCommand.SYNOPSIS + ")",
            "  scrape-to-kafka publish scrapes of a Prometheus endpoint to Kafka (" + ScrapeToKafkaCommand.SYNOPSIS
                    + ")",
            "  sarima   fit or filter a SARIMA model on one series (" + SarimaCommand.SYNOPSIS + ")",
            "  evaluate run a detector over a NAB or SMD directory and score it (" + EvaluateCommand.SYNOPSIS + ")",
            "  train    train one model per feature of a CSV or directory into a model file (" + TrainCommand.SYNOPSIS
                    + ")",
            "  bench    measure throughput, latency and state size (" + BenchCommand.SYNOPSIS + ")",
            "  help     this text");

    private AnomalyCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line, writing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "run" -> new RunCommand(out).run(rest);
                case "scrape-to-kafka" -> {
                    return ScrapeToKafkaCommand.run(rest, out, err);
                }
                case "sarima" -> new SarimaCommand(out).run(rest);
                case "evaluate" -> new EvaluateCommand(out).run(rest);
                case "bench" -> new BenchCommand(out).run(rest);
                case "train" -> new TrainCommand(out, err, err == System.err && System.console() != null).run(rest);
                default -> throw new UsageException("unknown command '" + args[0] + "'; try 'anomaly help'");
            }
            return 0;
        } catch (UsageException e) {
            err.println("anomaly " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("anomaly " + args[0] + ": internal error: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
