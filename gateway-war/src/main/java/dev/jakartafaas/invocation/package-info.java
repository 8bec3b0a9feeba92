/**
 * Calling functions: {@code /function/<name>[/<path>]} is proxied, streaming both ways, to the
 * ready replica with the fewest requests in flight, and held when the function has none ready yet.
 *
 * <p>The path of one call, all in {@code control.Invoker}: choose the replica ({@code Upstreams}),
 * take a pooled keep-alive connection ({@code Upstream}) or open one, write the head and body
 * ({@code RequestHead}, {@code RequestBody}), read the answer's head ({@code UpstreamConnection},
 * {@code ResponseHead}) and relay it ({@code ResponseRelay}), then count the call.
 *
 * <p>Why the client side of HTTP/1.1 is written here rather than taken from the JDK's {@code
 * HttpClient}: the proxy must pick the replica itself for every request (the JDK's client keeps
 * sending to the one it is connected to) and write the caller's request as it came, head and small
 * body in one write, on connections it pools per replica; and the proxy's time is the gateway's
 * cost per call: in the profile of {@code bench/gateway.sh} (docs/benchmark.md) the proxy, its two
 * loopback socket operations included, is 28 % of Payara's samples, Payara's HTTP stack and its
 * thread hand-offs most of the rest.
 */
package dev.jakartafaas.invocation;
