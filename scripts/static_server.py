"""Serve a built site on 127.0.0.1 as GitHub Pages would: under the path of site_url, with
404.html (and status 404) for any address that has no file. Used by the browser tests and by
`make lighthouse`; run it by hand with `python scripts/static_server.py site/`."""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent


def site_path() -> str:
    """The path part of site_url in mkdocs.yml, such as /blog-post/."""
    for line in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("site_url:"):
            return urlsplit(yaml.safe_load(line)["site_url"]).path.rstrip("/") + "/"
    return "/"


class _Handler(SimpleHTTPRequestHandler):
    prefix = "/"

    def send_head(self):
        path = urlsplit(self.path).path
        if not (path + "/").startswith(self.prefix):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + urlsplit(path).path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path, prefix: str | None = None):
    """Serve directory on a free port of 127.0.0.1; yields the site's base URL."""
    prefix = prefix or site_path()
    handler = functools.partial(type("Handler", (_Handler,), {"prefix": prefix}), directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    with serve(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "site")) as url:
        print(f"Serving on {url} (Ctrl-C stops)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
