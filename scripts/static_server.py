"""Serve a built site on 127.0.0.1 as GitHub Pages would: under the path of site_url, with
404.html (and status 404) for any address that has no file. Used by the browser tests, by
`make lighthouse` and `make bench-search` (which counts the bytes sent) and by `make links`;
run it by hand with `python scripts/static_server.py site/`.

Text is gzip-compressed, as GitHub Pages sends it. One change to what is served: sitemap.xml
names this server instead of site_url. Material's instant navigation follows only links listed
there, moved to the page's host but keeping site_url's port (none), so on any other port every
link would be a full page load."""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from project import ROOT, site_url

# Text that GitHub Pages sends gzip-compressed to a browser that accepts it.
COMPRESSED = {"text/html", "text/css", "text/javascript", "application/javascript", "application/json",
              "application/xml", "text/xml", "image/svg+xml", "application/rss+xml"}


class _Handler(SimpleHTTPRequestHandler):
    prefix = "/"
    public = ""  # site_url
    local = ""  # this server's address for it
    log: list | None = None  # (site-relative path, bytes sent) of each response, when counted
    extra_headers: tuple[tuple[str, str], ...] = ()  # sent with every response
    compressed: dict  # (file, mtime) -> its gzip bytes: each file compressed once

    def send_head(self):
        path = urlsplit(self.path).path
        if not (path + "/").startswith(self.prefix):
            self.send_error(404)
            return None
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            if not path.endswith("/"):
                return super().send_head()  # a redirect to the address with a slash
            file = file / "index.html"
        if not file.is_file():
            self.send_error(404)
            return None
        body = file.read_bytes()
        if path == self.prefix + "sitemap.xml" and self.public:
            body = body.replace(self.public.encode(), self.local.encode())
        kind = self.guess_type(str(file))
        compress = kind in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            key = (file, file.stat().st_mtime_ns)
            if key not in self.compressed:
                self.compressed[key] = gzip.compress(body, mtime=0)
            body = self.compressed[key]
        self._count(path, len(body))
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + urlsplit(path).path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self._count(urlsplit(self.path).path, len(body))
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _count(self, path: str, sent: int) -> None:
        if self.log is not None and self.command != "HEAD":
            self.log.append((unquote(path[len(self.prefix):] if path.startswith(self.prefix) else path), sent))

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        for name, value in self.extra_headers:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path, public_url: str | None = None, log: list | None = None,
          headers: dict[str, str] | None = None):
    """Serve directory on a free port of 127.0.0.1; yields the site's local base URL. With a
    log, each response appends (its site-relative path, the bytes of its body as sent); headers
    are sent with every response."""
    public = public_url or site_url()
    handler = type("Handler", (_Handler,), {
        "prefix": urlsplit(public).path or "/", "public": public, "log": log, "compressed": {},
        "extra_headers": tuple((headers or {}).items()),
    })
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    handler.local = f"http://127.0.0.1:{server.server_port}{handler.prefix}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler.local
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    with serve(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "site")) as url:
        print(f"Serving on {url} (Ctrl-C stops)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
