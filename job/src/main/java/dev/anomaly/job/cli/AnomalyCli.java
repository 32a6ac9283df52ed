package dev.anomaly.job.cli;

public final class AnomalyCli {
    public static void main(String[] args) {
        System.out.println("anomaly");
    }
}
