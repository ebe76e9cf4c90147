package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.Ecosystem;

/** A package a manifest or lock file declares; {@code version} may be a range, a placeholder or empty. */
public record DeclaredDependency(Ecosystem ecosystem, String name, String version, int line) {}
