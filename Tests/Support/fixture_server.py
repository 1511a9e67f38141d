#!/usr/bin/env python3
"""The fixture web server for tests, the demo and benchmarks: a real HTTP/1.1 server on 127.0.0.1.

Serves files under --root. A file may have a sidecar `<name>.headers` (JSON object) whose entries
replace the default headers (e.g. a Content-Type with a charset). Special paths produce failures:
  /_health                      200
  /_status/<code>[?retry_after=N]  that status (with Retry-After when given)
  /_slow[/<path>]?seconds=N     waits N seconds, then answers (with the file, given a path)
  /_redirect_loop/<n>           302 to /_redirect_loop/<n+1>, forever
  /_binary                      bytes with NULs, labelled text/html
  /_huge?mb=N                   an HTML page of N MiB
  /_flaky/<path>?fail=N         first N requests for that path get 503, then the file
  /_gzip/<path>                 the file, gzip-compressed; 406 when the client does not accept gzip
                                (so a test of decompression fails if the negotiation breaks)
  /_hook/<path>  (GET or POST)  a webhook receiver: appends {method, content_type, body} as a JSON line
                                to <root>/<path>.requests, answers the status in <root>/<path>.status
                                (200 when there is none)
"""
import argparse, gzip, json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs, unquote

flaky_counts = {}
flaky_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Buffer each response and send it in one piece: headers and body in separate segments
    # meet the client's delayed ACK (Nagle) and add ~40 ms per keep-alive request.
    wbufsize = 1 << 16
    server_version = "NightshiftFixture/1.0"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body=b"", headers=None):
        self.send_response(status)
        merged = {"Content-Type": "text/html", "Content-Length": str(len(body))}
        merged.update(headers or {})
        for k, v in merged.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        path = unquote(urlsplit(self.path).path)
        if not path.startswith("/_hook/"):
            return self.send(405, b"")
        self.hook(path[len("/_hook"):])

    def hook(self, path):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        full = os.path.realpath(os.path.join(self.server.root, path.lstrip("/")))
        if not full.startswith(self.server.root):
            return self.send(404, b"")
        os.makedirs(os.path.dirname(full), exist_ok=True)
        status = 200
        if os.path.isfile(full + ".status"):
            with open(full + ".status") as f:
                status = int(f.read().strip())
        record = {"method": self.command, "content_type": self.headers.get("Content-Type"),
                  "body": body.decode("utf-8", "replace"), "status": status}
        with open(full + ".requests", "a") as f:
            f.write(json.dumps(record) + "\n")
        return self.send(status, b"ok", {"Content-Type": "text/plain"})

    def do_GET(self):
        url = urlsplit(self.path)
        path, query = unquote(url.path), parse_qs(url.query)
        if path.startswith("/_hook/"):
            return self.hook(path[len("/_hook"):])
        q = lambda k, d: query.get(k, [d])[0]
        if path == "/_health":
            return self.send(200, b"ok", {"Content-Type": "text/plain"})
        if path.startswith("/_status/"):
            code = int(path.split("/")[2])
            headers = {"Retry-After": q("retry_after", "")} if q("retry_after", "") else {}
            return self.send(code, b"<html><body>status %d</body></html>" % code, headers)
        if path == "/_slow" or path.startswith("/_slow/"):
            time.sleep(float(q("seconds", "5")))
            if path.startswith("/_slow/"):
                return self.serve_file(path[len("/_slow"):])
            return self.send(200, b"<html><body>late</body></html>")
        if path.startswith("/_redirect_loop/"):
            n = int(path.rsplit("/", 1)[1] or 0)
            return self.send(302, b"", {"Location": "/_redirect_loop/%d" % (n + 1)})
        if path == "/_binary":
            return self.send(200, bytes(range(256)) * 64, {"Content-Type": "text/html"})
        if path == "/_huge":
            size = int(float(q("mb", "6")) * 1024 * 1024)
            body = b"<html><body>" + b"x" * size + b"</body></html>"
            return self.send(200, body)
        if path.startswith("/_flaky/"):
            inner = path[len("/_flaky"):]
            with flaky_lock:
                flaky_counts[inner] = flaky_counts.get(inner, 0) + 1
                count = flaky_counts[inner]
            if count <= int(q("fail", "1")):
                return self.send(503, b"busy", {"Retry-After": "0"})
            return self.serve_file(inner)
        if path.startswith("/_gzip/"):
            return self.serve_file(path[len("/_gzip"):], compress=True)
        return self.serve_file(path)

    def serve_file(self, path, compress=False):
        root = self.server.root
        full = os.path.realpath(os.path.join(root, path.lstrip("/")))
        if not full.startswith(root) or not os.path.isfile(full):
            return self.send(404, b"<html><body>not found</body></html>")
        with open(full, "rb") as f:
            body = f.read()
        headers = {}
        if os.path.isfile(full + ".headers"):
            with open(full + ".headers") as f:
                headers = json.load(f)
        if compress:
            if "gzip" not in self.headers.get("Accept-Encoding", ""):
                return self.send(406, b"<html><body>gzip required</body></html>")
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(body))
        return self.send(200, body, headers)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    server.root = os.path.realpath(args.root)
    server.serve_forever()


if __name__ == "__main__":
    main()
