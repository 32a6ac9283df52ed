package dev.anomaly.job.evaluate;

import dev.anomaly.models.evaluation.NabRowWindow;
import java.util.List;

/**
 * What the detector did on one NAB file.
 *
 * @param name the file's path relative to the data directory, {@code <category>/<file>.csv}
 * @param rows number of rows
 * @param probation rows at the start used only for training (score 0, label 0)
 * @param firstScored the first row the detector scored: the probation, or later where the probation held too few
 *                    finite values to train on (the rows before it score 0); also where {@code failure} is set
 * @param detections rows the detector flagged
 * @param scores each row's anomaly score in [0, 1]
 * @param decisions each row's 0/1 decision
 * @param windows the labelled windows on row positions; null when evaluated without labels
 * @param failure why the detector could not score all the rows from {@code firstScored} on (the rest score 0), or
 *                null
 */
public record NabFileResult(String name, int rows, int probation, int firstScored, int detections, double[] scores,
                            boolean[] decisions, List<NabRowWindow> windows, String failure) {
}
