"""The production build's output, replaced whole: `mkdocs build` writes into a new folder beside
site_dir, which takes site_dir's place only when the build has succeeded; on any failure the new
folder is removed and site_dir stays exactly as it was (or absent). Never a half-written site.

`--strict` counts as failure: MkDocs raises its strict-mode abort only after on_post_build, so
the warnings are counted here, on the same logger and from the same level as MkDocs counts them.
`mkdocs serve` and `--dirty` builds write in place, as MkDocs does."""

from __future__ import annotations

import atexit
import logging
import os
import secrets
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError


class WarningCount(logging.Handler):
    """How many warnings and errors the build has logged, as MkDocs counts them in strict mode."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class Output:
    """A new folder beside site_dir for one build: `publish()` puts it in site_dir's place,
    `discard()` removes it. Either may be called more than once; the first one counts."""

    def __init__(self, site_dir: str) -> None:
        self.final = Path(site_dir).resolve()  # a symlinked site_dir: the folder it points to
        self.building = self.final.parent / f".{self.final.name}.{secrets.token_hex(4)}.building"
        try:
            self.final.parent.mkdir(parents=True, exist_ok=True)
            self.building.mkdir()  # with the umask's permissions, as MkDocs would create site_dir
            if self.final.is_dir():
                shutil.copymode(self.final, self.building)
        except OSError as error:
            raise PluginError(f"blogpost: cannot write the site beside {self.final}: {error}") from None
        self.warnings = WarningCount()
        logging.getLogger("mkdocs").addHandler(self.warnings)
        atexit.register(self.discard)  # interrupted (Ctrl-C): no folder left behind

    @property
    def site_dir(self) -> str:
        return str(self.building)

    def publish(self) -> None:
        """site_dir becomes the new build; the old one is removed afterwards."""
        self._stop()
        if not self.building.is_dir():
            return
        old = self.final.parent / f".{self.final.name}.{secrets.token_hex(4)}.old"
        try:
            if self.final.exists():
                self.final.rename(old)
            try:
                self.building.rename(self.final)
            except OSError:
                if old.exists():
                    old.rename(self.final)
                raise
        except OSError:
            # site_dir cannot be renamed (a mount point, say): its contents are replaced instead.
            self._replace_contents()
        shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        self._stop()
        shutil.rmtree(self.building, ignore_errors=True)

    def _stop(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        atexit.unregister(self.discard)

    def _replace_contents(self) -> None:
        for child in list(self.final.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for child in list(self.building.iterdir()):
            os.replace(child, self.final / child.name)
        self.building.rmdir()
