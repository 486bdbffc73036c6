"""The live preview under the same Content-Security-Policy as the published site and, while the
last rebuild failed, the problems in place of every page, until a rebuild succeeds.

`mkdocs serve` injects into every page it serves a reload script whose text changes on every
request, which no hash can allow. Here the server injects instead one fixed script, allowed by
its hash, that reads the two changing numbers from its own data attributes.

When a rebuild raises, MkDocs' server logs it and stops reloading browsers ("The server will
appear stuck until build errors are resolved"). Here its builder is wrapped: a failed rebuild is
recorded, its problems logged if MkDocs did not, and it returns, so the server reloads browsers
as after any build. Until the next build succeeds, every HTML page it serves, and every address
the failed build left without a file, is the error page (build_failure.py) with the reload
script; the next build that succeeds reloads them to the site.

What this relies on in MkDocs' LiveReloadServer, checked with MkDocs 1.6.1:
- `_inject_js_into_html(content, epoch)`, private: replaced;
- `builder`, the function its build loop calls: wrapped;
- `error_handler(code)`, its hook for custom error pages: wrapped;
- `_visible_epoch`, private, the last build's number: read, for the error page served in place
  of a missing file (its reload script waits for a newer build than that).
When the first has changed, the preview goes without the policy and without error pages; when
one of the others has, without error pages (a failed rebuild then leaves the browser waiting,
as MkDocs does). Either way with one warning, rather than without reloading.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable

from mkdocs.plugins import get_plugin_logger

from blogpost.output import build_failure
from blogpost.output.csp import script_hash

log = get_plugin_logger(__name__)

# Polls the server's /livereload/<epoch>/<request> until it reports a newer build, then reloads;
# stops while the tab is hidden.
RELOAD_SCRIPT = """
(function (script) {
  var epoch = Number(script.dataset.epoch), request = script.dataset.request, xhr, timer;
  function poll() {
    xhr = new XMLHttpRequest();
    xhr.onloadend = function () {
      if (Number(this.responseText) > epoch) { location.reload(); return; }
      timer = setTimeout(poll, this.status === 200 ? 0 : 3000);
    };
    xhr.open("GET", "/livereload/" + epoch + "/" + request);
    xhr.send();
  }
  function stop() {
    if (xhr) { xhr.abort(); }
    clearTimeout(timer);
    xhr = timer = undefined;
  }
  function follow() { if (document.visibilityState === "visible") { poll(); } else { stop(); } }
  window.addEventListener("load", follow);
  document.addEventListener("visibilitychange", follow);
  window.addEventListener("beforeunload", stop);
})(document.currentScript);
"""

PRIVATE = "_inject_js_into_html"


def supported() -> bool:
    """MkDocs' server still injects its script through the method this replaces."""
    from mkdocs.livereload import LiveReloadServer

    method = getattr(LiveReloadServer, PRIVATE, None)
    return callable(method) and list(inspect.signature(method).parameters) == ["self", "content", "epoch"]


def follows_failures(server) -> bool:
    """The server still has what the error pages need: its builder, error handler and epoch."""
    return (callable(getattr(server, "builder", None)) and callable(getattr(server, "error_handler", None))
            and isinstance(getattr(server, "_visible_epoch", None), int))


def reload_hash() -> str:
    return script_hash(RELOAD_SCRIPT)


def take_over(server, *, site_name: str) -> None:
    """Make the server inject the fixed reload script, and show a failed rebuild's problems."""
    preview = Preview(site_name)
    setattr(server, PRIVATE, preview.inject)
    if not follows_failures(server):
        log.warning("The preview shows no error page: MkDocs' server (builder, error_handler, "
                    "_visible_epoch) changed; after a failed rebuild, reload by hand once it is fixed")
        return
    server.builder = preview.catching(server.builder)
    server.error_handler = preview.in_place_of_missing(server, server.error_handler)


class Preview:
    """One `mkdocs serve` session: the reload script in every page, and the last build's failure."""

    def __init__(self, site_name: str) -> None:
        self.site_name = site_name
        self.failure: build_failure.Failure | None = None

    def inject(self, content: bytes, epoch: int) -> bytes:
        """The page with the reload script before </body>, as MkDocs does; or the error page."""
        if self.failure is not None:
            return self.error_page(epoch)
        at = content.rfind(b"</body>")
        at = len(content) if at < 0 else at
        return content[:at] + _script(epoch).encode() + content[at:]

    def error_page(self, epoch: int) -> bytes:
        return build_failure.page(self.failure, site_name=self.site_name, reload_script=RELOAD_SCRIPT,
                                  reload_element=_script(epoch)).encode()

    def catching(self, builder: Callable) -> Callable:
        """The builder, recording a failure instead of raising it."""

        def build(*args, **kwargs) -> None:
            logged = _Logged()
            mkdocs_log = logging.getLogger("mkdocs")
            mkdocs_log.addHandler(logged)
            try:
                builder(*args, **kwargs)
            except Exception as error:
                self._failed(error, logged.messages)
            else:
                if self.failure is not None:
                    log.info("The site builds again: the browser shows it")
                self.failure = None
            finally:
                mkdocs_log.removeHandler(logged)

        return build

    def in_place_of_missing(self, server, handler: Callable) -> Callable:
        """The server's error handler, answering a missing file with the error page while the
        last build failed (a build that fails after MkDocs has emptied the site leaves none)."""

        def error_handler(code: int) -> bytes | None:
            if code == 404 and self.failure is not None:
                return self.error_page(server._visible_epoch)
            return handler(code)

        return error_handler

    def _failed(self, error: Exception, logged: list[str]) -> None:
        self.failure = build_failure.failure_of(error, logged)
        # MkDocs logs a plugin's error, but drops a message it has logged before: the same
        # problems after a second save would otherwise be missing from the terminal.
        if not all(line in "\n".join(logged) for line in self.failure.lines):
            log.error(self.failure.text, exc_info=None if self.failure.expected else error)
        log.info("The browser shows these problems until a rebuild succeeds")


class _Logged(logging.Handler):
    """The warnings and errors MkDocs logs during one build, as the terminal shows them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _script(epoch: int) -> str:
    return f'<script data-epoch="{int(epoch)}" data-request="{time.monotonic_ns()}">{RELOAD_SCRIPT}</script>'
