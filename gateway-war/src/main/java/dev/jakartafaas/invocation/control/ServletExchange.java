package dev.jakartafaas.invocation.control;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Enumeration;

/** A synchronous invocation: the container's request and response. */
record ServletExchange(HttpServletRequest req, HttpServletResponse resp) implements Exchange {

  @Override
  public String method() {
    return req.getMethod();
  }

  @Override
  public String header(String name) {
    return req.getHeader(name);
  }

  @Override
  public Enumeration<String> headerNames() {
    return req.getHeaderNames();
  }

  @Override
  public Enumeration<String> headers(String name) {
    return req.getHeaders(name);
  }

  @Override
  public String query() {
    return req.getQueryString();
  }

  @Override
  public long contentLength() {
    return req.getContentLengthLong();
  }

  @Override
  public InputStream body() throws IOException {
    return req.getInputStream();
  }

  @Override
  public String peerAddress() {
    return req.getRemoteAddr();
  }

  @Override
  public void status(int status) {
    resp.setStatus(status);
  }

  @Override
  public void setHeader(String name, String value) {
    resp.setHeader(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    resp.addHeader(name, value);
  }

  @Override
  public void contentLength(long length) {
    resp.setContentLengthLong(length);
  }

  @Override
  public OutputStream output() throws IOException {
    return resp.getOutputStream();
  }
}
