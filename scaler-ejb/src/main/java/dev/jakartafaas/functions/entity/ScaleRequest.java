package dev.jakartafaas.functions.entity;

/** The body of {@code POST /system/scale-function/{name}}. */
public record ScaleRequest(String serviceName, int replicas) {}
