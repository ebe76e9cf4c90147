package io.portcullis.inspect.dlp;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a data policy decides about one payload. Every variant keeps all findings ({@link #recorded()}: the
 * data-flow record, allowed data included) and the subset that the policy does not allow
 * ({@link #violations()}). Nothing here holds a raw value.
 */
public sealed interface DlpDecision {
    List<Finding> recorded();

    List<Finding> violations();

    /** Everything found is allowed (or nothing was found). */
    record Pass(List<Finding> recorded) implements DlpDecision {
        public Pass {
            recorded = List.copyOf(recorded);
        }

        @Override
        public List<Finding> violations() {
            return List.of();
        }
    }

    /** Violations are reported; the payload goes on unchanged. */
    record Alert(List<Finding> recorded, List<Finding> violations) implements DlpDecision {
        public Alert {
            recorded = List.copyOf(recorded);
            violations = List.copyOf(violations);
        }
    }

    /** Violations are masked in place ({@link Redaction}); the payload goes on. */
    record Redact(List<Finding> recorded, List<Finding> violations) implements DlpDecision {
        public Redact {
            recorded = List.copyOf(recorded);
            violations = List.copyOf(violations);
        }
    }

    /** The exchange stops with a 403 problem naming types and paths. */
    record Block(List<Finding> recorded, List<Finding> violations) implements DlpDecision {
        public Block {
            recorded = List.copyOf(recorded);
            violations = List.copyOf(violations);
        }

        /** RFC 9457 problem details (JSON) naming each violation's type and path, never a value. */
        public String problemJson() {
            String list = violations.stream()
                    .map(f -> "{\"type\":\"" + json(f.type()) + "\",\"class\":\"" + f.dataClass() + "\",\"path\":\"" + json(f.path()) + "\"}")
                    .distinct()
                    .collect(Collectors.joining(","));
            String types = violations.stream().map(Finding::type).distinct().collect(Collectors.joining(", "));
            return "{\"type\":\"urn:portcullis:problem:dlp-blocked\",\"title\":\"Sensitive data is not allowed for this API\","
                    + "\"status\":403,\"detail\":\"The request carries data this API may not receive: " + json(types) + "\","
                    + "\"violations\":[" + list + "]}";
        }
    }

    static String json(String s) {
        var sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
