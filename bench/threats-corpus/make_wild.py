#!/usr/bin/env python3
"""Extracts an independent benign sample from text on a Debian machine that nobody here wrote: Debian changelog
entries (/usr/share/doc/*/changelog.Debian.gz: maintainers' prose with package names, versions, paths, code and bug
references) and Python standard-library docstring/comment lines (/usr/lib/python3.11: code and prose). Writes
wild-benign.jsonl in the corpus format (label benign, split holdout). Deterministic for a given machine.
Flagged items are reviewed by hand: a changelog line may legitimately quote an attack string."""
import glob, gzip, hashlib, json, os, re
HERE = os.path.dirname(os.path.abspath(__file__))
vals = []
for path in sorted(glob.glob("/usr/share/doc/*/changelog.Debian.gz")):
    try:
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
            n = 0
            for line in f:
                line = line.strip()
                if line.startswith("* ") or line.startswith("- "):
                    line = line[2:]
                if 20 <= len(line) <= 300 and not line.startswith("--") and "urgency=" not in line:
                    vals.append(("changelog", line))
                    n += 1
                if n >= 12:
                    break
    except OSError:
        pass
for path in sorted(glob.glob("/usr/lib/python3.11/*.py"))[:200]:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            n = 0
            for line in f:
                s = line.strip()
                if s.startswith("#"):
                    s = s.lstrip("# ")
                elif not (s.startswith(">>>") or s.startswith('"""') or (s and s[0].isalpha() and s.endswith("."))):
                    continue
                if 20 <= len(s) <= 300:
                    vals.append(("python", s))
                    n += 1
                if n >= 15:
                    break
    except OSError:
        pass
seen = set()
with open(os.path.join(HERE, "wild-benign.jsonl"), "w", encoding="utf-8") as out:
    i = 0
    for src, v in vals:
        if v in seen:
            continue
        seen.add(v)
        i += 1
        out.write(json.dumps({"id": 100000 + i, "split": "holdout", "label": "benign", "category": None, "kind": "value",
                              "context": "json_value", "value": v, "source": src}, ensure_ascii=False) + "\n")
print(i, "values")
