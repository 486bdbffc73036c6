"""The preview's pages templated by two processes at once, when a build has many to template.

A new post moves every list page of the blog (its index, its archive, each author's page) one
post further on: at 3000 posts, some 630 pages are templated and written again, half of the
rebuild, on one core of the machine's several. MkDocs templates a page in
mkdocs.commands.build._build_page (its on_page_context and on_post_page events, Jinja, the
write); nothing of that is read by the rest of the build or by the next one: the plugins known
here change only the page being templated, its context and memos of pure functions, and the
incremental preview keeps a page's state as it was before templating (kept.py).

So, when a build of the preview has at least `from_pages` pages to template, the first call of
_build_page forks: the second process templates and writes every other one of those pages,
while this one templates the rest. The posts whose end alone changed are written by the two
as well (`writes`: the preview replaces such an end in the page the last build wrote; after a
new post with every tag, that is every post), each writing every other one after its pages;
a write counts as a twentieth of a page towards `from_pages`. The second process sends back what it logged, which is
logged here (so `--strict` counts its warnings), and what it added to the memos this one keeps
from build to build (`memos`: the cards' HTML), and ends. If it fails at a page, the pages it
did not finish are templated here, where the failure is then raised as MkDocs raises it; if it
dies or does not finish in time, all of its pages are; the same for its writes. Where fork is missing, on one core, or
when another plugin has events here, every page is templated in this process, as MkDocs does.
"""

from __future__ import annotations

import gc
import inspect
import logging
import os
import pickle
import select
import signal
import time

from mkdocs.commands import build as mkdocs_build
from mkdocs.structure.files import File

from blogpost.speed.compat import Mismatch, Patches, other_plugins

PARAMETERS = ["page", "config", "doc_files", "nav", "env", "dirty", "excluded"]
# How long the second process may take beyond this one's share: its share is as large.
GRACE = 30.0
WRITES_PER_PAGE = 20  # an end replaced costs about a twentieth of a page templated

log = logging.getLogger("mkdocs.plugins.blogpost.speed.parallel")
# A second process that did not finish leaves the same site, built slower: a warning to read,
# logged outside MkDocs' loggers, which `--strict` counts (as plugin.py steps aside).
aside = logging.getLogger("blogpost.speed")


class Parallel:
    """The second process of one build, while it templates its share."""

    def __init__(self) -> None:
        self.pid = 0
        self.pipe = -1
        self.theirs: list[File] = []  # the pages it templates, in order
        self.skipped: set[File] = set()  # the same, for this process to pass over
        self.args: tuple = ()
        self.started = self.forking = 0.0
        self.count = 0  # pages templated by the second process in the last build
        # Files to write besides the pages, set by the preview for each build (each a call
        # without arguments): this process's share once the second process has its own.
        self.writes: list = []
        self.their_writes: list = []
        # Memos of pure functions this process keeps from build to build, each as (take, give):
        # take() in the second process is what it drew from or added to the memo (picklable),
        # give(that) here keeps it, as if drawn here.
        self.memos: list[tuple] = []

    def apply(self, patches: Patches, config, from_pages: int) -> None:
        """Wrap _build_page for this build: the first call shares out the pages to template."""
        self.abandon()
        self.count, self.writes = 0, []
        if from_pages <= 0 or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            return
        stock = getattr(mkdocs_build, "_build_page", None)
        if not callable(stock) or list(inspect.signature(stock).parameters) != PARAMETERS:
            raise Mismatch(f"mkdocs.commands.build._build_page({', '.join(PARAMETERS)}) changed")
        others = other_plugins(config, ("page_context", "post_page"))
        if others:
            raise Mismatch(f"page events of other plugins ({', '.join(others)}) may change more than their page")
        shared = [False]
        parallel = self

        def build_page(page, config, doc_files, nav, env, dirty=False, excluded=False):
            if not shared[0]:
                shared[0] = True
                todo = [file for file in doc_files if file.page is not None and (not dirty or file.is_modified())]
                if len(todo) + len(parallel.writes) // WRITES_PER_PAGE >= from_pages:
                    parallel._fork(todo, (stock, config, doc_files, nav, env, dirty))
            if parallel.pid and page.file in parallel.skipped:
                return None  # the second process templates it
            return stock(page, config, doc_files, nav, env, dirty, excluded)

        patches.set(mkdocs_build, "_build_page", build_page)

    def _fork(self, todo: list[File], args: tuple) -> None:
        """Every other page to template and file to write goes to a second process."""
        theirs, writes = todo[1::2], self.writes[1::2]
        read, write = os.pipe()
        before = time.monotonic()
        try:
            pid = os.fork()
        except OSError as error:
            os.close(read)
            os.close(write)
            log.debug(f"incremental: one process templates every page: {error}")
            return
        if pid == 0:  # the second process: never returns
            os.close(read)
            _second(theirs, writes, args, write, self.memos)
        os.close(write)
        self.pid, self.pipe, self.theirs, self.skipped, self.args = pid, read, theirs, set(theirs), args
        self.writes, self.their_writes = self.writes[0::2], writes
        self.started = time.monotonic()
        self.forking = self.started - before

    def join(self) -> None:
        """After this process templated its share: write its share of the other files, take the
        second process's log, and template and write here whatever it did not."""
        writes, self.writes = self.writes, []
        for write in writes:
            write()
        if not self.pid:
            return
        theirs, their_writes, (stock, config, doc_files, nav, env, dirty) = self.theirs, self.their_writes, self.args
        waited = time.monotonic() - self.started
        report = self._report(deadline=time.monotonic() + GRACE + waited)
        log.debug(f"incremental: {len(theirs)} pages to a second process: forked in {self.forking * 1000:.0f} ms, "
                  f"this process's share took {waited:.2f} s, then it waited {time.monotonic() - self.started - waited:.2f} s")
        done = written = 0
        if report is None:
            aside.warning("blogpost-speed: the second process of the preview did not finish; "
                          "its pages are made here. Building without it: the same site, slower.")
        else:
            done, written, records, drawn = report
            for fields in records:
                record = logging.makeLogRecord(fields)
                logging.getLogger(record.name).handle(record)
            for (_, give), item in zip(self.memos, drawn):
                give(item)
        self.count = done
        self._forget()
        for file in theirs[done:]:
            stock(file.page, config, doc_files, nav, env, dirty, file.inclusion.is_excluded())
        for write in their_writes[written:]:
            write()

    def _report(self, deadline: float):
        """(pages done, writes done, log records) as the second process sent them, or None."""
        data = bytearray()
        while True:
            left = deadline - time.monotonic()
            ready = select.select([self.pipe], [], [], max(left, 0))[0] if left > 0 else []
            if not ready:
                self._kill()
                return None
            chunk = os.read(self.pipe, 1 << 16)
            if not chunk:
                break
            data += chunk
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if status != 0 or not data:
            return None
        try:
            return pickle.loads(bytes(data))
        except Exception:  # noqa: BLE001 (a report cut short: none)
            return None

    def abandon(self) -> None:
        """A build ended before join (it failed, or serve stops): stop the second process."""
        if self.pid:
            self._kill()
        self._forget()

    def _kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        self.pid = 0

    def _forget(self) -> None:
        if self.pipe >= 0:
            os.close(self.pipe)
        self.pid, self.pipe, self.theirs, self.skipped, self.args = 0, -1, [], set(), ()
        self.their_writes = []


def _second(theirs: list[File], writes: list, args: tuple, write: int, memos: list[tuple]) -> None:
    """The second process: template its pages, then make its writes; send (pages done, writes
    done, log records, what it drew from each memo); end. It stops at the first failure."""
    code = 1
    try:
        gc.disable()  # short-lived: a collection would touch, and so copy, the whole heap
        records: list[dict] = []
        logging.Logger.handle = lambda logger, record: records.append(_plain(record))
        stock, config, doc_files, nav, env, dirty = args
        done = 0
        for file in theirs:
            before = len(records)
            try:
                stock(file.page, config, doc_files, nav, env, dirty, file.inclusion.is_excluded())
            except Exception:  # noqa: BLE001 (templated again, and raised, by the first process)
                del records[before:]
                break
            done += 1
        written = 0
        if done == len(theirs):
            for make in writes:
                try:
                    make()
                except Exception:  # noqa: BLE001 (made again, and raised, by the first process)
                    break
                written += 1
        data = pickle.dumps((done, written, records, [take() for take, _ in memos]))
        with os.fdopen(write, "wb") as out:
            out.write(data)
        code = 0
    finally:
        os._exit(code)


def _plain(record: logging.LogRecord) -> dict:
    fields = dict(record.__dict__)
    fields.update(msg=record.getMessage(), args=None, exc_info=None, exc_text=None, stack_info=None)
    return {name: item for name, item in fields.items() if type(item) in (str, int, float, bool, type(None))}
