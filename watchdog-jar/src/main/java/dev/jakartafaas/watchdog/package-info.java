/**
 * The watchdog that runs inside every function replica: an HTTP server that feeds each request to a
 * Unix process ({@code mode=fork}) or to a long-running HTTP function ({@code mode=http}). Plain
 * Java, no dependencies, configured by OpenFaaS's environment variables.
 *
 * <p>Why its HTTP/1.1 is written here ({@code Http1Server}, {@code Http1Connection}, {@code
 * Http1RequestHead}, {@code Http1RequestBody}, {@code Http1Exchange}, {@code Http1ResponseHead},
 * {@code Http1ResponseBody}, {@code Chunked}) rather than taken from the JDK's {@code
 * com.sun.net.httpserver}: the JDK's server hands every request from its selector thread to a
 * worker and back, where this one answers on the thread that read the request, which then waits for
 * the next. Measured on this project's 2-core machine (2026-12-03, {@code mode=http} in front of
 * {@code bench/upstream/Echo.java}, {@code hey -c 16}, three runs of 10 s, the machine busy with
 * other work): this server 6 500 to 9 600 requests per second, the JDK's 5 900 to 7 200 with {@code
 * sun.net.httpserver.nodelay=true} and about 360 without it (each answer then waits for a delayed
 * acknowledgement). On a quiet machine this server reached 13 150 ({@code bench/watchdog.sh},
 * docs/benchmark.md). Handlers stay the JDK's {@code HttpHandler}s, so either server can run them.
 */
package dev.jakartafaas.watchdog;
