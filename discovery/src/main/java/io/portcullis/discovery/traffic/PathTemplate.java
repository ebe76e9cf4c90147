package io.portcullis.discovery.traffic;

import java.util.List;
import java.util.Set;

/** A learned or documented path such as {@code /v1/customers/{customerId}} or {@code /Messages/{sid}.json}. */
public record PathTemplate(List<Segment> segments) {

    public PathTemplate {
        segments = List.copyOf(segments);
    }

    /** One path segment: a constant or a parameter. */
    public sealed interface Segment permits Literal, Param {
    }

    /** A constant segment, e.g. {@code customers}. */
    public record Literal(String value) implements Segment {
    }

    /**
     * A parameter segment, e.g. {@code {customerId}} or {@code {sid}.json}.
     *
     * @param name   parameter name (derived from the preceding constant; irrelevant for matching)
     * @param kinds  the shapes the values had (empty when unknown, e.g. from a spec)
     * @param prefix constant text before the parameter inside the segment ({@code ""} usually)
     * @param suffix constant text after the parameter inside the segment, e.g. {@code .json}
     */
    public record Param(String name, Set<SegmentKind> kinds, String prefix, String suffix) implements Segment {
        public Param {
            kinds = Set.copyOf(kinds);
            prefix = prefix == null ? "" : prefix;
            suffix = suffix == null ? "" : suffix;
        }
    }

    /** The template with parameter names, e.g. {@code /v1/customers/{customerId}}. */
    public String render() {
        if (segments.isEmpty()) return "/";
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            sb.append('/');
            switch (s) {
                case Literal l -> sb.append(l.value());
                case Param p -> sb.append(p.prefix()).append('{').append(p.name()).append('}').append(p.suffix());
            }
        }
        return sb.toString();
    }

    /** The template with parameter names erased, e.g. {@code /v1/customers/{}}: equal for equivalent templates. */
    public String shape() {
        if (segments.isEmpty()) return "/";
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            sb.append('/');
            switch (s) {
                case Literal l -> sb.append(l.value());
                case Param p -> sb.append(p.prefix()).append("{}").append(p.suffix());
            }
        }
        return sb.toString();
    }

    /**
     * Parses a documented path such as {@code /Accounts/{AccountSid}/Messages/{Sid}.json}. A segment holding one
     * {@code {name}} with constant text around it becomes a parameter with prefix/suffix.
     */
    public static PathTemplate parse(String path) {
        java.util.ArrayList<Segment> out = new java.util.ArrayList<>();
        for (String raw : path.split("/")) {
            if (raw.isEmpty()) continue;
            int open = raw.indexOf('{');
            int close = raw.indexOf('}', open + 1);
            if (open >= 0 && close > open) {
                out.add(new Param(raw.substring(open + 1, close), Set.of(), raw.substring(0, open), raw.substring(close + 1)));
            } else {
                out.add(new Literal(raw));
            }
        }
        return new PathTemplate(out);
    }
}
