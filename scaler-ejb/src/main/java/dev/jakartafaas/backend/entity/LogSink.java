package dev.jakartafaas.backend.entity;

/**
 * Where a followed function's log lines go as they come ({@code /system/logs?follow=true}). The
 * backend calls it from its own threads, in order, so it must only hand the line on, never block.
 */
public interface LogSink {

  void line(LogLine line);

  /** No line will come any more: the function was removed or the backend's source ended. */
  void end(String why);
}
