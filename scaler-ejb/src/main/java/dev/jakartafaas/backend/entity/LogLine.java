package dev.jakartafaas.backend.entity;

import java.time.Instant;

/** One output line of a replica, as {@code /system/logs} reports it. */
public record LogLine(String name, String instance, Instant timestamp, String text) {}
