/**
 * The threat engine: detection of injection payloads in what third parties send (API responses, webhooks).
 *
 * <p>Entry point {@link io.portcullis.inspect.threats.ThreatEngine}: {@code scanValue} for one string (with a
 * {@link io.portcullis.inspect.threats.ValueContext}), {@code scanJson} (streaming, every value and key, JSON paths),
 * {@code scanForm}, {@code scanXml}. Results are {@link io.portcullis.inspect.threats.ThreatReport}s of
 * {@link io.portcullis.inspect.threats.ThreatFinding}s.
 *
 * <p>Design: one linear pass classifies which trigger characters a value holds, and only the grammars those characters
 * can start run. Each grammar is a hand-written tokenizer plus a small parser that asks a structural question (does a
 * quote break-out lead into a complete SQL fragment? does a separator lead into a command with shell-shaped arguments?
 * does a URL's host normalise to an internal address?) rather than matching signatures. Decoding (percent, HTML
 * entities, backslash escapes) is bounded to three passes. Quality and speed are measured by bench/threats-quality,
 * bench/threats-modsecurity and bench/threats-jmh over the corpus in bench/threats-corpus.
 */
package io.portcullis.inspect.threats;
