"""The preview server's side of a failed rebuild, without a server: what failed, the error page
(escaped: authors' text is untrusted), and the builder and handlers that MkDocs' server calls."""

from __future__ import annotations

import logging

import pytest
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from selectolax.lexbor import LexborHTMLParser

from blogpost.content.problems import Problem, report
from blogpost.output import preview
from blogpost.output.build_failure import failure_of, page
from blogpost.output.csp import script_hash

POST = "docs/blog/posts/2026-11-20-bad.md"
HOSTILE = Problem(POST, 6, "tags", "'<script>alert(1)</script>' is not a known tag (known tags: AI)")
UNKNOWN = Problem(POST, 7, "tags", "'ai' is not a known tag (did you mean 'AI'?)")


def raised_by_mkdocs(error: Exception) -> Abort:
    """The exception MkDocs' build raises for a plugin's error: Abort, raised while handling it."""
    try:
        try:
            raise error
        except PluginError:
            raise Abort("Aborted with a BuildError!")
    except Abort as abort:
        return abort


def with_problems(problems: list[Problem]) -> PluginError:
    error = report(problems, "the content")
    error.problems = problems
    return error


def rendered(failure, site_name="Blog Post", epoch=42):
    built = page(failure, site_name=site_name, reload_script=preview.RELOAD_SCRIPT,
                 reload_element=preview._script(epoch))
    return LexborHTMLParser(built)


def test_a_problem_with_markup_shows_as_text_on_the_error_page():
    tree = rendered(failure_of(raised_by_mkdocs(with_problems([HOSTILE])), []))
    items = tree.css("main li")
    assert [item.text() for item in items] == [str(HOSTILE)]
    assert items[0].css_first("code").text().strip() == f"{POST}:6:"
    scripts = tree.css("script")
    assert len(scripts) == 1 and scripts[0].text() == preview.RELOAD_SCRIPT
    assert scripts[0].attributes["data-epoch"] == "42"


def test_the_site_name_is_escaped_and_the_page_allows_only_its_style_and_the_reload_script():
    tree = rendered(failure_of(raised_by_mkdocs(with_problems([UNKNOWN])), []), site_name="<b>Mine</b> & co")
    assert tree.css_first("title").text() == "Build failed - <b>Mine</b> & co"
    assert tree.css("header b") == []
    policy = tree.css_first("meta[http-equiv=Content-Security-Policy]").attributes["content"]
    assert "default-src 'none'" in policy
    assert f"script-src {script_hash(preview.RELOAD_SCRIPT)};" in policy
    assert f"style-src {script_hash(tree.css_first('style').text())};" in policy


def test_every_problem_the_error_carries_is_listed_with_the_reports_heading():
    failure = failure_of(raised_by_mkdocs(with_problems([UNKNOWN, HOSTILE])), [])
    assert failure.summary == "2 problems in the content"
    assert failure.lines == (str(HOSTILE), str(UNKNOWN))  # sorted by line, as the report is


def test_without_a_problem_list_the_reports_lines_are_listed():
    failure = failure_of(raised_by_mkdocs(report([UNKNOWN, HOSTILE], "the content")), [])
    assert failure.summary == "2 problems in the content"
    assert failure.lines == (str(HOSTILE), str(UNKNOWN))


def test_a_configuration_error_lists_what_mkdocs_logged():
    logged = ["Config value 'plugins': Plugin 'blogpost' option 'latest_posts': Expected type: int"]
    failure = failure_of(Abort("Aborted with a configuration error!"), logged)
    assert (failure.summary, failure.lines, failure.expected) == ("Aborted with a configuration error", tuple(logged), True)


def test_an_unexpected_error_is_named_and_keeps_its_traceback_for_the_terminal():
    failure = failure_of(KeyError("nav"), [])
    assert failure.lines == ("KeyError: 'nav'",) and not failure.expected


def test_a_failed_build_serves_the_error_page_until_a_build_succeeds():
    show = preview.Preview("Blog Post")
    results = iter([with_problems([UNKNOWN]), None])

    def builder():
        error = next(results)
        if error is not None:
            raise raised_by_mkdocs(error)

    build = show.catching(builder)
    site_page = b"<html><body><h1>A post</h1></body></html>"
    missing = show.in_place_of_missing(type("Server", (), {"_visible_epoch": 7})(), lambda code: b"site 404")

    build()  # returns: the server goes on to reload the browsers
    failed = LexborHTMLParser(show.inject(site_page, 5).decode())
    assert failed.css_first("h1").text() == "The site could not be built"
    assert failed.css_first("main li").text() == str(UNKNOWN)
    assert LexborHTMLParser(missing(404).decode()).css_first("script").attributes["data-epoch"] == "7"

    build()
    served = LexborHTMLParser(show.inject(site_page, 9).decode())
    assert served.css_first("h1").text() == "A post"
    assert served.css_first("script").attributes["data-epoch"] == "9"
    assert missing(404) == b"site 404"


def test_a_build_interrupted_by_hand_still_stops_the_server():
    def builder():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        preview.Preview("Blog Post").catching(builder)()


def test_mkdocs_server_still_has_what_the_preview_replaces(tmp_path):
    """Fails when a new MkDocs changes them: then the preview steps aside (with a warning)."""
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        assert preview.supported()
        assert preview.follows_failures(server)
    finally:
        server.server_close()


def test_a_server_without_what_the_error_pages_need_is_left_as_mkdocs_made_it(caplog):
    def builder():
        pass

    def handler(code):
        return None

    server = type("Server", (), {"builder": staticmethod(builder), "error_handler": staticmethod(handler)})()
    preview.take_over(server, site_name="Blog Post")
    assert server.builder is builder and server.error_handler is handler
    assert getattr(server, preview.PRIVATE)(b"<body></body>", 3).count(b"<script") == 1  # the policy holds
    assert len([r for r in caplog.records if "no error page" in r.getMessage()]) == 1


def test_the_terminal_gets_the_problems_even_when_mkdocs_drops_them_as_a_repeat(caplog):
    error = with_problems([UNKNOWN])
    mkdocs_logs = iter([True, False])  # MkDocs logs a message once; the same one later is dropped

    def builder():
        if next(mkdocs_logs):
            logging.getLogger("mkdocs.commands.build").error(str(error))
        raise raised_by_mkdocs(error)

    build = preview.Preview("Blog Post").catching(builder)
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="mkdocs"):
            build()
        shown = [r.getMessage() for r in caplog.records if str(UNKNOWN) in r.getMessage()]
        assert len(shown) == 1 and shown[0].endswith(str(error))
