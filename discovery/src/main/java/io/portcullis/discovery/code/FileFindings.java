package io.portcullis.discovery.code;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects one file's findings, folding repeats of the same (kind, vendor, detail) into the first sighting. */
final class FileFindings {
    private final String file;
    private final Map<String, int[]> seen = new LinkedHashMap<>(); // key -> {line, occurrences}
    private final Map<String, Object[]> meta = new LinkedHashMap<>(); // key -> {kind, vendor, detail}

    FileFindings(String file) {
        this.file = file;
    }

    void add(FindingKind kind, String vendor, int line, String detail) {
        add(kind, vendor, line, detail, kind.name() + '\u0000' + vendor + '\u0000' + detail);
    }

    /** Adds with an explicit folding key (e.g. one SDK finding per vendor per file). */
    void add(FindingKind kind, String vendor, int line, String detail, String key) {
        int[] s = seen.get(key);
        if (s != null) {
            s[1]++;
            return;
        }
        seen.put(key, new int[] {line, 1});
        meta.put(key, new Object[] {kind, vendor, detail});
    }

    List<RepoFinding> findings() {
        List<RepoFinding> out = new ArrayList<>(seen.size());
        for (Map.Entry<String, int[]> e : seen.entrySet()) {
            Object[] m = meta.get(e.getKey());
            out.add(new RepoFinding((FindingKind) m[0], (String) m[1], file, e.getValue()[0], (String) m[2], e.getValue()[1]));
        }
        return out;
    }
}
