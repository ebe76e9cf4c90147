package io.portcullis.gateway.pipeline;

import java.util.concurrent.CompletionStage;

/** What a head phase decided: go on, answer with a problem, or decide later (without blocking the event loop). */
public sealed interface HeadVerdict {
    Continue CONTINUE = new Continue();

    record Continue() implements HeadVerdict {}

    record Reject(Problem problem) implements HeadVerdict {}

    /** The decision completes later, on any thread; the exchange resumes on its event loop. */
    record Pending(CompletionStage<HeadVerdict> later) implements HeadVerdict {}

    static HeadVerdict reject(Problem p) {
        return new Reject(p);
    }
}
