#!/usr/bin/env python3
"""Helpers of bench/async.sh, in three roles:

  tool.py function           a mode=http function on $PORT: waits SLEEP_MS, answers 503 to the
                             first FAIL_FIRST calls of each X-Call-Id (FAIL_ALWAYS=true: to all),
                             else 200 with the call id
  tool.py receiver PORT FILE a callback receiver on 127.0.0.1:PORT; one line per callback in FILE:
                             call-id attempts state function-status
  tool.py send URL N CONC PREFIX CALLBACK FILE [DEADLINE_S]
                             N asynchronous calls (ids PREFIX-0000...) from CONC threads, each sent
                             again until it is answered 202 (connection failures while the gateway
                             is down included) or DEADLINE_S passes; one line per 202 in FILE:
                             call-id; other answers counted on stderr
"""
import http.client
import http.server
import os
import sys
import threading
import time
import urllib.parse


def function():
    sleep = int(os.environ.get("SLEEP_MS", "0")) / 1000.0
    fail_first = int(os.environ.get("FAIL_FIRST", "0"))
    fail_always = os.environ.get("FAIL_ALWAYS", "false") == "true"
    seen = {}
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0") or 0)
            if n:
                self.rfile.read(n)
            cid = self.headers.get("X-Call-Id", "")
            with lock:
                seen[cid] = seen.get(cid, 0) + 1
                k = seen[cid]
            if sleep:
                time.sleep(sleep)
            if fail_always or k <= fail_first:
                body, status = b"not now\n", 503
            else:
                body, status = (cid + "\n").encode(), 200
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()


def receiver(port, path):
    out = open(path, "a", buffering=1)
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0") or 0)
            if n:
                self.rfile.read(n)
            line = " ".join(
                self.headers.get(h, "-")
                for h in ("X-Call-Id", "X-Call-Attempts", "X-Call-State", "X-Function-Status"))
            with lock:
                out.write(line + "\n")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), Handler).serve_forever()


def send(url, count, conc, prefix, callback, path, deadline_s=300):
    u = urllib.parse.urlparse(url)
    deadline = time.time() + float(deadline_s)
    out = open(path, "a", buffering=1)
    lock = threading.Lock()
    ids = iter(range(int(count)))
    others = {}

    def worker():
        conn = None
        while True:
            with lock:
                i = next(ids, None)
            if i is None:
                return
            cid = "%s-%04d" % (prefix, i)
            while time.time() < deadline:
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
                    conn.request("POST", u.path, body=("call " + cid).encode(),
                                 headers={"X-Call-Id": cid, "X-Callback-Url": callback,
                                          "Content-Type": "text/plain"})
                    r = conn.getresponse()
                    r.read()
                    if r.status == 202:
                        with lock:
                            out.write(cid + "\n")
                        break
                    with lock:
                        others[r.status] = others.get(r.status, 0) + 1
                    time.sleep(0.2)
                except (OSError, http.client.HTTPException):
                    if conn is not None:
                        conn.close()
                    conn = None
                    with lock:
                        others["connection failed"] = others.get("connection failed", 0) + 1
                    time.sleep(0.2)

    threads = [threading.Thread(target=worker) for _ in range(int(conc))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("send: answers other than 202 (each retried): %s" % (others or "none"), file=sys.stderr)


if __name__ == "__main__":
    role = sys.argv[1]
    if role == "function":
        function()
    elif role == "receiver":
        receiver(*sys.argv[2:4])
    elif role == "send":
        send(*sys.argv[2:])
    else:
        sys.exit("tool.py: unknown role " + role)
