"""The live preview under the same Content-Security-Policy as the published site.

`mkdocs serve` injects into every page it serves a reload script whose text changes on every
request, which no hash can allow. Here the server injects instead one fixed script, allowed by
its hash, that reads the two changing numbers from its own data attributes. This replaces a
private method of MkDocs' LiveReloadServer (`_inject_js_into_html(content, epoch)`, checked with
MkDocs 1.6.1); when that is gone or has changed, the preview goes without the policy (with a
warning) rather than without reloading.
"""

from __future__ import annotations

import inspect
import time

from blogpost.output.csp import script_hash

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


def reload_hash() -> str:
    return script_hash(RELOAD_SCRIPT)


def take_over(server) -> None:
    """Make the server inject the fixed reload script, before </body> as MkDocs does."""

    def inject(content: bytes, epoch: int) -> bytes:
        at = content.rfind(b"</body>")
        at = len(content) if at < 0 else at
        script = (f'<script data-epoch="{int(epoch)}" data-request="{time.monotonic_ns()}">'
                  f"{RELOAD_SCRIPT}</script>").encode()
        return content[:at] + script + content[at:]

    setattr(server, PRIVATE, inject)
