package io.portcullis.discovery.diff;

import java.util.List;

/** The result of comparing an inventory with a catalog: one verdict per learned operation, then the orphans. */
public record Comparison(List<Verdict> verdicts, List<Orphan> orphans) {

    public long count(Label label) {
        return label == Label.ORPHAN ? orphans.size() : verdicts.stream().filter(v -> v.label() == label).count();
    }
}
