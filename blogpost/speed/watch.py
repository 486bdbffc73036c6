"""The preview sees a save at once: through the file system's own change notices (inotify,
FSEvents or ReadDirectoryChangesW, as watchdog provides them) instead of MkDocs' polling of
docs/ every 0.5 s, which waits a quarter of a second on average and walks every file of docs/
twice a second, in the process that builds.

Only the kinds of change polling reports are let through (created, modified, moved, deleted):
the native notices also report files opened and closed for reading, and every build reads
docs/, which would start the next build without end.

What this relies on in MkDocs' LiveReloadServer (checked with 1.6.1): `observer`, a watchdog
PollingObserver that serve() starts; `_watched_paths` (path -> how many asked) and
`_watch_refs`; that watch(path) schedules its handler on `observer`; and `build_delay`, how
long it waits for a burst of changes to end (shortened). On any other shape,
or when the native observer cannot start (an exhausted inotify watch limit, say), the polling
stays, with one warning.
"""

from __future__ import annotations

import inspect

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from blogpost.speed.compat import Mismatch

BUILD_DELAY = 0.05  # seconds without a further change before a build starts
CHANGES = (FileCreatedEvent, FileModifiedEvent, FileMovedEvent, FileDeletedEvent,
           DirCreatedEvent, DirModifiedEvent, DirMovedEvent, DirDeletedEvent)


class Native(Observer):
    """The platform's observer, reporting changes only; started early, so that a failure to
    start is seen while polling can still take over (serve() starts it again: no effect)."""

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, **options):
        return super().schedule(event_handler, path, recursive=recursive,
                                event_filter=event_filter or list(CHANGES), **options)

    def start(self) -> None:
        if not self.is_alive():
            super().start()


def watch_natively(server) -> None:
    observer = getattr(server, "observer", None)
    paths, refs = getattr(server, "_watched_paths", None), getattr(server, "_watch_refs", None)
    if (not isinstance(observer, PollingObserver) or observer.is_alive() or not isinstance(paths, dict)
            or not isinstance(refs, dict) or not callable(getattr(server, "watch", None))):
        raise Mismatch("MkDocs' server no longer watches through a PollingObserver that serve() starts")
    if "event_filter" not in inspect.signature(Observer.schedule).parameters:
        raise Mismatch("watchdog's observers no longer filter events by kind")
    saved_paths, saved_refs = dict(paths), dict(refs)
    native = Native()
    server.observer = native
    paths.clear()
    refs.clear()
    try:
        for path, count in saved_paths.items():
            for _ in range(count):
                server.watch(path)
        native.start()
        # The notices of one save come within milliseconds of each other: a shorter wait for
        # more of them than polling needs (MkDocs waits 0.1 s).
        if isinstance(getattr(server, "build_delay", None), (int, float)):
            server.build_delay = min(server.build_delay, BUILD_DELAY)
    except OSError as error:
        if native.is_alive():
            native.stop()
        server.observer = observer
        paths.clear()
        paths.update(saved_paths)
        refs.clear()
        refs.update(saved_refs)
        raise Mismatch(f"the file system's change notices are not available ({error}): polling") from None
