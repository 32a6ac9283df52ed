package dev.anomaly.models.evaluation;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores a detector on a NAB corpus as {@code shared/data/nab/SCORING.md} (NAB v1.1) describes: per-file raw scores
 * from position-weighted detections, summed over the corpus and normalised between the null and the perfect
 * detector.
 *
 * <p>Choices where SCORING.md leaves room, each following numenta/NAB ({@code nab/sweeper.py}, {@code nab/runner.py})
 * unless stated:
 * <ul>
 *   <li>Probation is {@code min(floor(0.15 N), 750)} computed in double precision as NAB does; detections on
 *       probationary rows are dropped, but those rows still count for window positions.</li>
 *   <li>A window that lies wholly inside the probation period still counts: as -A_FN in the raw score and in
 *       {@code #windows} for normalisation, as SCORING.md steps 5 and 7 say. NAB drops such a window from the raw
 *       (and null) score but keeps it in the perfect score. No window of the shared 41-file corpus starts inside
 *       probation, so both readings give the same numbers there.</li>
 *   <li>After a one-row window NAB's position {@code (i - R')/(W' - 1)} divides by zero; here it is +infinity, so
 *       such a false positive costs the full A_FP.</li>
 *   <li>Windows given as timestamps must match a row exactly (see {@link NabFile}); NAB would silently skip a window
 *       whose start is missing (and every window after it), here that is an error.</li>
 *   <li>sigma(y) is -1 for y strictly above 3, as SCORING.md and NAB's current sweeper say (an older sweeper used
 *       {@code >= 3}; the two differ by 6e-7 A_FP at y = 3).</li>
 *   <li>For a corpus without windows the normalised score is undefined and reported as NaN.</li>
 * </ul>
 */
public final class NabScorer {

    /** Threshold that turns files built from 0/1 decisions back into exactly those decisions. */
    public static final double DECISION_THRESHOLD = 1.0;

    private NabScorer() {
    }

    /** Scores files built from 0/1 decisions under every NAB profile, keyed by profile in {@link NabProfile#ALL} order. */
    public static Map<NabProfile, NabScore> scoreDecisions(List<NabFile> files) {
        return scoreAll(files, DECISION_THRESHOLD);
    }

    /** Scores the files under every NAB profile with one fixed threshold (a row is a detection when score >= it). */
    public static Map<NabProfile, NabScore> scoreAll(List<NabFile> files, double threshold) {
        Map<NabProfile, NabScore> scores = new LinkedHashMap<>();
        for (NabProfile profile : NabProfile.ALL) {
            scores.put(profile, score(files, profile, threshold));
        }
        return scores;
    }

    /**
     * Scores the files under every NAB profile, each at the threshold {@link NabThresholdSweep} tunes for it on these
     * same labels, which is how NAB's published scoreboard is made.
     */
    public static Map<NabProfile, NabScore> scoreTuned(List<NabFile> files) {
        Map<NabProfile, NabScore> scores = new LinkedHashMap<>();
        for (NabProfile profile : NabProfile.ALL) {
            scores.put(profile, score(files, profile, NabThresholdSweep.bestThreshold(files, profile)));
        }
        return scores;
    }

    /** Scores the files under one profile with one fixed threshold (a row is a detection when score >= it). */
    public static NabScore score(List<NabFile> files, NabProfile profile, double threshold) {
        Map<String, Double> rawByFile = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        double raw = 0.0;
        int windowCount = 0;
        for (NabFile file : files) {
            if (!names.add(file.name())) {
                throw new IllegalArgumentException("file '" + file.name() + "' appears twice in the corpus");
            }
            double fileRaw = rawScore(file, profile, threshold);
            rawByFile.put(file.name(), fileRaw);
            raw += fileRaw;
            windowCount += file.windows().size();
        }
        double nullRaw = -profile.fnWeight() * windowCount;
        double perfectRaw = profile.tpWeight() * windowCount;
        double normalised = windowCount == 0 ? Double.NaN : 100.0 * (raw - nullRaw) / (perfectRaw - nullRaw);
        return new NabScore(profile, threshold, normalised, raw, nullRaw, perfectRaw, windowCount, rawByFile);
    }

    /**
     * One file's raw score: for each window its best (earliest) detection value or -A_FN without one, plus the
     * values of all detections outside windows; detections count only after probation.
     */
    public static double rawScore(NabFile file, NabProfile profile, double threshold) {
        NabRowValues rows = NabRowValues.of(file, profile);
        double[] best = new double[file.windows().size()];
        Arrays.fill(best, -profile.fnWeight());
        double outside = 0.0;
        for (int i = rows.probation(); i < rows.rowCount(); i++) {
            if (file.score(i) >= threshold) {
                int w = rows.windowOf(i);
                if (w == NabRowValues.OUTSIDE) {
                    outside += rows.value(i);
                } else {
                    best[w] = Math.max(best[w], rows.value(i));
                }
            }
        }
        return outside + Arrays.stream(best).sum();
    }
}
