package dev.jakartafaas.functions.entity;

/** Memory and CPU figures of a deployment's {@code limits} or {@code requests}, as given. */
public record Resources(String memory, String cpu) {}
