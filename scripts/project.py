"""What the scripts and the browser tests share: the project, its config, variants of it, Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import yaml
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parent.parent
# What a copy of the site needs: its plugins (blogpost/) are installed, not copied.
SITE = ("docs", "overrides", "mkdocs.yml")
# Flags for a Chromium that runs checks, not a reader's browsing.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")


def config(project: Path = ROOT, name: str = "mkdocs.yml") -> MkDocsConfig:
    """The project's configuration, validated as `mkdocs build` validates it (INHERIT and !ENV
    included; no plugin event runs)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return load_config(config_file=str(project / name))


def site_url(project: Path = ROOT) -> str:
    """The public address, with a trailing slash."""
    return config(project).site_url.rstrip("/") + "/"


def plugin_options(site: MkDocsConfig, name: str) -> dict:
    """The options a plugin was given in the config, as written (such as 'material/blog')."""
    written = site.plugins[name].config.user_configs
    return dict(written[0]) if written else {}


def copy_site(dest: Path, source: Path = ROOT) -> Path:
    """A copy of the site's content, theme layer and configuration at dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE:
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source / name, dest / name)
    return dest


def variant(project: Path, name: str, plugins: dict | None = None, base: str = "mkdocs.yml",
            **settings) -> str:
    """Write the config file `name` into project: base through INHERIT, with the given plugins'
    options merged into base's (MkDocs merges mappings, replaces lists) and top-level settings
    replaced. Returns name, for `mkdocs build -f`."""
    if plugins:
        with (project / base).open("rb") as file:
            written = yaml_load(file)
        if not isinstance(written.get("plugins"), dict):
            raise ValueError(f"{project / base}: plugins must be a mapping for a variant to change one")
    text = {"INHERIT": base, **({"plugins": plugins} if plugins else {}), **settings}
    (project / name).write_text(yaml.safe_dump(text, sort_keys=False), encoding="utf-8")
    return name


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Stop a process started with start_new_session=True and everything it started (a server
    and its builds): INT, as Ctrl-C does, so that `mkdocs serve` removes its temporary site
    folder on the way out (TERM ends it before that, leaving the folder behind), then KILL
    after `timeout` seconds."""
    try:
        os.killpg(proc.pid, signal.SIGINT)
    except ProcessLookupError:
        pass  # it ended by itself
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _playwright_chromium(playwright=None) -> str | None:
    if playwright is not None:
        return playwright.chromium.executable_path
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as started:
        return started.chromium.executable_path


def _chromium_candidates(playwright):
    yield _playwright_chromium(playwright)
    yield os.environ.get("CHROMIUM")
    for name in CHROMIUM_NAMES:
        yield shutil.which(name)


def chromium(playwright=None) -> str | None:
    """Playwright's own Chromium if it has one, else $CHROMIUM, else one on PATH; None if none.
    Pass a running Playwright when there is one (a second cannot start inside it)."""
    return next((path for path in _chromium_candidates(playwright) if path and Path(path).is_file()), None)
