package dev.jakartafaas.invocation.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Enumeration;

/**
 * One request as the proxy sees it and the answer it writes: a live servlet exchange for {@code
 * /function/...}, or a stored call and a buffer for {@code /async-function/...}. The methods mirror
 * the servlet API's, so the live case costs one thin adapter.
 */
public interface Exchange {

  String method();

  /** The first value of a request header, or null. */
  String header(String name);

  Enumeration<String> headerNames();

  Enumeration<String> headers(String name);

  /** The raw query string without {@code ?}, or null. */
  String query();

  /** The request body's length, -1 when unknown (chunked). */
  long contentLength();

  InputStream body() throws IOException;

  /** The address of the peer that sent the request (the last {@code X-Forwarded-For} entry). */
  String peerAddress();

  void status(int status);

  void setHeader(String name, String value);

  void addHeader(String name, String value);

  void contentLength(long length);

  OutputStream output() throws IOException;
}
