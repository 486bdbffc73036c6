"""The link check (scripts/check_links.py, `make links`): offline it crawls the built site with
LinkChecker and finds nothing broken; it reports a broken link under every page that holds it;
its outside-link pass retries and caches; and the weekly workflow runs it and files one issue."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import check_links
from conftest import ROOT, BUILD_ENV
from static_server import serve

SCRIPT = ROOT / "scripts" / "check_links.py"
PUBLIC = "https://blog-post.github.io/blog-post/"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, env=BUILD_ENV,
                          capture_output=True, text=True, timeout=600)


def test_the_offline_check_of_the_built_site_finds_nothing_broken(site, tmp_path):
    report = tmp_path / "report.md"
    report.write_text("stale", encoding="utf-8")
    result = run("--site", str(site.root), "--report", str(report))
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.splitlines()[0]
    checked = int(summary.split("Links: ")[1].split()[0])
    assert checked >= len(site.html_files) - 1, summary  # every page (404.html too) and more
    # The edit links go to GitHub: other hosts, not reached offline.
    assert "to other hosts not checked (offline" in summary and summary.endswith("none broken.")
    assert not report.exists(), "a clean check removes the last report"


def _tiny_site(root: Path) -> Path:
    """A site of three pages: home links to a page that exists, one that does not, and outside."""
    (root / "guides").mkdir(parents=True)
    (root / "index.html").write_text(
        '<!doctype html><title>Home</title><a href="guides/">Guides</a> <a href="gone/">Gone</a>'
        ' <a href="https://example.org/page#part">Out</a>', encoding="utf-8")
    (root / "guides" / "index.html").write_text(
        '<!doctype html><title>Guides</title><a href="../gone/">Gone again</a> <a href="../">Home</a>',
        encoding="utf-8")
    (root / "404.html").write_text("<!doctype html><title>Not found</title>", encoding="utf-8")
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{PUBLIC}</loc></url></urlset>", encoding="utf-8")
    return root


def test_a_broken_link_fails_the_check_and_is_listed_under_each_page_that_holds_it(tmp_path):
    site = _tiny_site(tmp_path / "site")
    report = tmp_path / "report.md"
    result = run("--site", str(site), "--report", str(report))
    assert result.returncode == 1, result.stdout + result.stderr
    text = report.read_text(encoding="utf-8")
    assert "found 1 broken link on 2 pages" in text
    assert f"### [Home]({PUBLIC})\n\n- <{PUBLIC}gone/>: 404 Not Found" in text
    assert f"### [guides/]({PUBLIC}guides/)\n\n- <{PUBLIC}gone/>: 404 Not Found" in text
    assert "example.org" not in text  # offline: outside links are counted, not checked
    assert "1 link to other hosts not checked" in result.stdout


def test_the_outside_pass_retries_a_failure_and_reports_what_failed_every_time(tmp_path):
    site = _tiny_site(tmp_path / "site")
    # A server on 127.0.0.1 stands in for other hosts: no network.
    with check_links.settings_file() as settings, serve(site, PUBLIC) as local:
        failing = check_links.check_external([local, f"{local}gone/"], settings, retries=1, pause=0)
    assert failing == {f"{local}gone/": "404 Not Found"}


def test_the_cache_skips_only_links_that_worked_recently(tmp_path):
    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc)
    cache = tmp_path / "links.json"
    cache.write_text('{"https://a.example/": "2026-12-01T06:00:00+00:00",'
                     ' "https://b.example/": "2026-11-29T12:00:00+00:00", "https://c.example/": "soon"}')
    loaded = check_links.load_cache(cache)
    assert check_links.fresh(loaded, now, dt.timedelta(hours=24)) == {"https://a.example/"}
    assert check_links.load_cache(tmp_path / "missing.json") == {}
    (tmp_path / "bad.json").write_text("[1, 2", encoding="utf-8")
    assert check_links.load_cache(tmp_path / "bad.json") == {}


def test_the_report_fits_in_one_issue_and_shows_links_as_text():
    broken = [check_links.Broken(f"https://x.example/{n}", "404 Not Found", f"page-{n:04}/") for n in range(3000)]
    broken.append(check_links.Broken("https://y.example/", "ConnectionError: *boom* [x](y)", "a/"))
    text = check_links.report(broken, {}, PUBLIC, when=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
    assert len(text) <= 60_000
    assert text.startswith("The link check of 2026-12-01 00:00 UTC found 3001 broken links on 3001 pages.")
    assert "- <https://y.example/>: ConnectionError: \\*boom\\* \\[x\\]\\(y\\)" in text
    assert text.rstrip().endswith("more pages.")


def test_without_a_built_site_the_check_cannot_run(tmp_path):
    result = run("--site", str(tmp_path / "nothing"))
    assert result.returncode == 2 and "make build" in result.stderr
