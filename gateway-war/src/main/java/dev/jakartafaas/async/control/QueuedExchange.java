package dev.jakartafaas.async.control;

import dev.jakartafaas.async.entity.QueuedCall;
import dev.jakartafaas.invocation.control.Exchange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A queued call as the invocation proxy sees it: the stored request, and an answer kept in memory
 * up to a bound (a longer answer fails the copy, and the call is reported as failed).
 */
final class QueuedExchange implements Exchange {

  private final QueuedCall call;
  private final long maxAnswer;
  private int status;
  private String contentType;
  private final ByteArrayOutputStream answer = new ByteArrayOutputStream();

  QueuedExchange(QueuedCall call, long maxAnswer) {
    this.call = call;
    this.maxAnswer = maxAnswer;
  }

  /** The function's status, 0 until it answered. */
  int answeredStatus() {
    return status;
  }

  /** The function's {@code Content-Type}, or null. */
  String answeredContentType() {
    return contentType;
  }

  byte[] answeredBody() {
    return answer.toByteArray();
  }

  @Override
  public String method() {
    return "POST";
  }

  @Override
  public String header(String name) {
    if (name.equalsIgnoreCase("X-Call-Id")) {
      return call.callId();
    }
    for (String[] h : call.headers()) {
      if (h[0].equalsIgnoreCase(name)) {
        return h[1];
      }
    }
    return null;
  }

  @Override
  public Enumeration<String> headerNames() {
    Set<String> names = new LinkedHashSet<>();
    for (String[] h : call.headers()) {
      names.add(h[0]);
    }
    return Collections.enumeration(names);
  }

  @Override
  public Enumeration<String> headers(String name) {
    List<String> values = new ArrayList<>();
    for (String[] h : call.headers()) {
      if (h[0].equalsIgnoreCase(name)) {
        values.add(h[1]);
      }
    }
    return Collections.enumeration(values);
  }

  @Override
  public String query() {
    return call.query();
  }

  @Override
  public long contentLength() {
    return call.body().length;
  }

  @Override
  public InputStream body() {
    return new ByteArrayInputStream(call.body());
  }

  @Override
  public String peerAddress() {
    return call.peer();
  }

  @Override
  public void status(int status) {
    this.status = status;
  }

  @Override
  public void setHeader(String name, String value) {
    addHeader(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    if (name.equalsIgnoreCase("Content-Type")) {
      contentType = value;
    }
  }

  @Override
  public void contentLength(long length) {}

  @Override
  public OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (answer.size() + (long) len > maxAnswer) {
          throw new AnswerTooLargeException(maxAnswer);
        }
        answer.write(b, off, len);
      }
    };
  }

  /** The function's answer is longer than a queued call may keep. */
  static final class AnswerTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    AnswerTooLargeException(long max) {
      super("the function's answer is larger than " + max + " bytes (faas.async.max-answer-bytes)");
    }
  }
}
