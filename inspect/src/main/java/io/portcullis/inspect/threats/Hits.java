package io.portcullis.inspect.threats;

/** Collects at most one (the strongest) hit per category while one value is inspected. Not thread-safe; per call. */
final class Hits {
    private final int[] score = new int[ThreatCategory.values().length];
    private final String[] reason = new String[score.length];
    private final int[] start = new int[score.length];
    private final int[] end = new int[score.length];
    private final String[] excerpt = new String[score.length];
    /** Set while decoded variants are inspected: spans are then reported over the whole value. */
    boolean decoded;
    int originalLength;

    private int active;

    void add(ThreatCategory c, int s, String why, CharSequence text, int from, int to) {
        int i = c.ordinal();
        if (s <= score[i]) return;
        if (score[i] == 0) active++;
        score[i] = s;
        reason[i] = why;
        if (decoded) {
            start[i] = 0;
            end[i] = originalLength;
        } else {
            start[i] = from;
            end[i] = to;
        }
        excerpt[i] = ThreatFinding.excerptOf(text, from, to);
    }

    boolean has(ThreatCategory c) {
        return score[c.ordinal()] > 0;
    }

    boolean any() {
        return active > 0;
    }

    void drainTo(java.util.List<ThreatFinding> out, int threshold, String path) {
        if (active == 0) return;
        active = 0;
        for (ThreatCategory c : ThreatCategory.values()) {
            int i = c.ordinal();
            if (score[i] >= threshold) out.add(new ThreatFinding(c, score[i], reason[i], excerpt[i], start[i], end[i], path));
            score[i] = 0;
        }
    }
}
