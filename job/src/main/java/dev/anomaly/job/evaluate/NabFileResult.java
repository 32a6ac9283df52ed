package dev.anomaly.job.evaluate;

import dev.anomaly.models.evaluation.NabRowWindow;
import java.util.List;

/**
 * What the detector did on one NAB file.
 *
 * @param name the file's path relative to the data directory, {@code <category>/<file>.csv}
 * @param rows number of rows
 * @param probation rows at the start used only for training (score 0, label 0)
 * @param detections rows the detector flagged
 * @param scores each row's anomaly score in [0, 1]
 * @param decisions each row's 0/1 decision
 * @param windows the labelled windows on row positions; null when evaluated without labels
 */
public record NabFileResult(String name, int rows, int probation, int detections, double[] scores,
                            boolean[] decisions, List<NabRowWindow> windows) {
}
