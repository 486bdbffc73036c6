"""The preview's second process (blogpost/speed/parallel.py) templates half of a build's pages
when it has many: every page is written once, what the second process logs is logged by the
first, and a page it fails at, or all of its pages when it dies, are templated by the first,
where a failure is raised as MkDocs raises it."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.commands import build as mkdocs_build

from blogpost.speed import parallel
from blogpost.speed.compat import Mismatch, Patches


class Inclusion:
    def is_excluded(self) -> bool:
        return False


class FakeFile:
    def __init__(self, out: Path, n: int, modified: bool = True) -> None:
        self.abs_dest_path = str(out / f"page-{n}.html")
        self.src_uri = f"page-{n}.md"
        self.inclusion = Inclusion()
        self.modified = modified
        self.page = SimpleNamespace(file=self)

    def is_modified(self) -> bool:
        return self.modified


def _config(*plugins) -> SimpleNamespace:
    events = {"page_context": [p.on_page_context for p in plugins], "post_page": []}
    return SimpleNamespace(plugins=SimpleNamespace(events=events))


class SitePlugin:  # a plugin known to change only the page it templates
    def on_page_context(self, context, **kwargs):
        return context


class Stock:
    """MkDocs' _build_page as far as these tests need: writes the page with the process that
    wrote it, logs a warning for a page named in `warn`, fails or dies at one named in `fail`
    `die` or `hang` (the last two in the second process only)."""

    def __init__(self, warn=(), fail=(), die=(), hang=()) -> None:
        self.parent = os.getpid()
        self.warn, self.fail, self.die, self.hang = set(warn), set(fail), set(die), set(hang)

    def __call__(self, page, config, doc_files, nav, env, dirty=False, excluded=False):
        if dirty and not page.file.is_modified():
            return
        name = page.file.src_uri
        if name in self.die and os.getpid() != self.parent:
            os._exit(3)
        if name in self.hang and os.getpid() != self.parent:
            time.sleep(600)
        if name in self.fail:
            logging.getLogger("mkdocs.commands.build").error(f"Error building page '{name}'")
            raise ValueError(f"{name} cannot be templated")
        if name in self.warn:
            logging.getLogger("mkdocs.plugins.test").warning(f"{name}: a warning")
        with open(page.file.abs_dest_path, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")


def _write(path: Path, fail_in_second: bool = False, parent: int = 0):
    """A file the preview writes besides the pages (a post's end replaced): its writer's pid."""
    def write():
        if fail_in_second and os.getpid() != parent:
            raise OSError(f"{path.name} cannot be written")
        with path.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
    return write


def _build(tmp_path, monkeypatch, stock: Stock, *, pages=12, from_pages=4, modified=None, writes=()):
    """Every page through the wrapped _build_page, as MkDocs' build loops over them, then the
    join of on_post_build. Returns (files, the Parallel, the error raised or None)."""
    monkeypatch.setattr(mkdocs_build, "_build_page", stock)
    files = [FakeFile(tmp_path, n, modified=True if modified is None else n in modified) for n in range(pages)]
    config = _config(SitePlugin())
    fan, patches = parallel.Parallel(), Patches()
    fan.apply(patches, config, from_pages)
    fan.writes = list(writes)  # as the preview sets them, in on_env
    error = None
    try:
        for file in files:
            mkdocs_build._build_page(file.page, config, files, None, None, True, False)
        fan.join()
    except ValueError as raised:
        error = raised
    finally:
        fan.abandon()
        patches.undo()
    return files, fan, error


def _writers(files) -> list[list[int]]:
    return [[int(line) for line in Path(f.abs_dest_path).read_text().split()] if Path(f.abs_dest_path).exists()
            else [] for f in files]


def test_many_pages_are_templated_half_by_a_second_process_each_once(tmp_path, monkeypatch):
    files, fan, error = _build(tmp_path, monkeypatch, Stock())
    assert error is None
    writers = _writers(files)
    assert all(len(w) == 1 for w in writers), writers  # every page written, once
    here = os.getpid()
    assert [w[0] == here for w in writers] == [n % 2 == 0 for n in range(len(files))], writers
    assert fan.count == len(files) // 2


def test_the_other_files_are_written_half_by_each_process_and_a_failed_write_again(tmp_path, monkeypatch):
    here = os.getpid()
    paths = [tmp_path / f"end-{n}.html" for n in range(6)]
    _, fan, error = _build(tmp_path, monkeypatch, Stock(), writes=[_write(p) for p in paths])
    assert error is None and fan.writes == []
    writers = [[int(x) for x in p.read_text().split()] for p in paths]
    assert [w[0] == here for w in writers] == [True, False] * 3 and all(len(w) == 1 for w in writers)
    # The second process fails at its second write (end-3): this one writes it, and end-5.
    failing = [_write(p, fail_in_second=n == 3, parent=here) for n, p in enumerate(paths)]
    for p in paths:
        p.unlink()
    _, fan, error = _build(tmp_path, monkeypatch, Stock(), writes=failing)
    writers = [[int(x) for x in p.read_text().split()] for p in paths]
    assert error is None and all(len(w) == 1 for w in writers), writers
    assert [w[0] == here for w in writers] == [True, False, True, True, True, True]


def test_many_writes_alone_are_worth_a_second_process_and_few_are_not(tmp_path, monkeypatch):
    here = os.getpid()
    for count, forked in ((parallel.WRITES_PER_PAGE * 4, True), (parallel.WRITES_PER_PAGE * 2, False)):
        paths = [tmp_path / f"{count}-{n}.html" for n in range(count)]
        _build(tmp_path, monkeypatch, Stock(), modified=set(), writes=[_write(p) for p in paths])
        assert any(int(p.read_text()) != here for p in paths) == forked
        assert all(p.is_file() for p in paths)


def test_only_the_pages_to_template_are_counted_and_few_stay_in_one_process(tmp_path, monkeypatch):
    # 3 of 12 pages changed: fewer than 4, so no second process.
    files, fan, _ = _build(tmp_path, monkeypatch, Stock(), modified={1, 5, 9})
    assert _writers(files) == [[os.getpid()] if n in (1, 5, 9) else [] for n in range(12)]
    assert fan.count == 0


def test_what_the_second_process_logs_is_logged_by_the_first(tmp_path, monkeypatch, caplog):
    caplog.set_level(logging.WARNING)
    files, fan, error = _build(tmp_path, monkeypatch, Stock(warn={"page-3.md", "page-4.md"}))
    assert error is None and fan.count == 6
    warned = sorted(r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.test")
    assert warned == ["page-3.md: a warning", "page-4.md: a warning"]  # 3 by the second, 4 here


def test_what_the_second_process_draws_into_a_memo_is_kept_by_the_first(tmp_path, monkeypatch):
    memo: dict[str, int] = {}

    class Drawing(Stock):  # each page draws into a memo of pure results, as the cards' HTML
        def __call__(self, page, config, doc_files, nav, env, dirty=False, excluded=False):
            memo[page.file.src_uri] = os.getpid()
            super().__call__(page, config, doc_files, nav, env, dirty, excluded)

    kept = {}
    monkeypatch.setattr(parallel.Parallel, "apply", _with_memos(parallel.Parallel.apply, memo, kept))
    files, fan, error = _build(tmp_path, monkeypatch, Drawing())
    assert error is None and fan.count == 6
    assert sorted(kept) == sorted(f"page-{n}.md" for n in range(1, 12, 2))  # every other page, drawn there
    assert all(pid != os.getpid() for pid in kept.values())


def _with_memos(apply, memo: dict, kept: dict):
    def wrapped(self, *args, **kwargs):
        apply(self, *args, **kwargs)
        self.memos = [(lambda: dict(memo), kept.update)]  # taken in the second process
    return wrapped


def test_a_page_the_second_process_fails_at_is_templated_and_raised_by_the_first(tmp_path, monkeypatch, caplog):
    # page-5 is the second process's third page: it wrote 1 and 3, the first process templates
    # 5 again (and fails, as MkDocs does) and would go on with 7, 9 and 11.
    files, fan, error = _build(tmp_path, monkeypatch, Stock(fail={"page-5.md"}))
    assert isinstance(error, ValueError) and "page-5.md" in str(error)
    assert fan.count == 2
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == ["Error building page 'page-5.md'"]  # logged once, by the first process
    writers = _writers(files)
    assert writers[1] != [os.getpid()] and writers[3] != [os.getpid()] and writers[5] == []


def test_a_second_process_that_dies_leaves_all_its_pages_to_the_first(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(parallel.aside, "handlers", [*parallel.aside.handlers, caplog.handler])
    files, fan, error = _build(tmp_path, monkeypatch, Stock(die={"page-7.md"}))
    assert error is None and fan.count == 0
    assert "did not finish" in caplog.text
    writers = _writers(files)
    assert all(w and w[-1] == os.getpid() for w in writers), writers  # each page as the first wrote it


def test_a_second_process_that_does_not_finish_in_time_is_stopped(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(parallel.aside, "handlers", [*parallel.aside.handlers, caplog.handler])
    monkeypatch.setattr(parallel, "GRACE", 1.0)
    started = time.monotonic()
    files, fan, error = _build(tmp_path, monkeypatch, Stock(hang={"page-3.md"}))
    assert error is None and fan.count == 0 and time.monotonic() - started < 30
    assert "did not finish" in caplog.text
    assert all(w and w[-1] == os.getpid() for w in _writers(files))


def test_another_plugin_with_page_events_keeps_every_page_in_one_process():
    class Other:
        def on_page_context(self, context, **kwargs):
            return context

    with pytest.raises(Mismatch, match="Other"):
        parallel.Parallel().apply(Patches(), _config(SitePlugin(), Other()), 4)
