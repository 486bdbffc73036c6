"""Addresses stay: every address in docs/.urls.txt (`make urls`) is still answered by a clean
build, by its page or, when the page moved and lists it under `aliases:`, by a redirect page
that sends readers and search engines on; and former addresses are checked like the rest of
the front matter."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from urllib.parse import urljoin

import lxml.etree
import lxml.html
import pytest

from blogpost.content.addresses import URL_LIST, alias_problems, claim_aliases, read_url_list, write_url_list
from blogpost.content.schema import ALIAS, validate
from blogpost.features.redirects import POLICY
from conftest import DOCS, ROOT, SEED_POST, SEED_URL, Site, mkdocs_build
from pagefind_index import pages as indexed_pages
from project import copy_site
from test_html_valid import VNU, java  # noqa: F401 (the fixture)
from urls import explain, lost, pending, served

# A post that moves without saying so, and one that moves and lists its old address.
MOVED = "blog/posts/2026-09-22-security-checklist-before-giving-a-vendor-access.md"
MOVED_URL = "blog/2026/09/22/a-security-checklist-before-you-give-a-vendor-access/"
MOVED_NEW_URL = "blog/2026/09/22/vendor-access-checklist/"
SEED_NEW_URL = "blog/2026/11/02/it-outsourcing-weighed/"
# A guide page keeps an address from before the guides had chapters.
GUIDE = "guides/it-outsourcing/01-choosing-services.md"
GUIDE_OLD_URL = "guides/choosing-services/"


def check(project, site_dir) -> list[str]:
    """What the tests hold a build to: the listed addresses it no longer answers."""
    pages, redirects = served(site_dir)
    return lost(read_url_list(project / "docs"), pages, redirects, pending(project))


# The committed list -------------------------------------------------------------------------


def test_every_listed_address_is_still_answered_by_the_build(site):
    listed = read_url_list(DOCS)
    assert "" in listed and SEED_URL in listed, f"docs/{URL_LIST} is missing or stale: run make urls"
    missing = check(ROOT, site.root)
    assert not missing, explain(missing)


def test_the_list_is_sorted_unique_and_only_site_relative_paths():
    lines = (DOCS / URL_LIST).read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines)), "write it with make urls: sorted, each address once"
    for line in lines:
        assert line == "./" or re.fullmatch(ALIAS, line), line


# A post that moves ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moved(tmp_path_factory, site):
    """A copy of the site whose list is the real build's, after two posts changed their slug: one
    without a word (the seed post), one listing its old address under `aliases:`; and a guide
    page listing an address it had before the list began."""
    project = copy_site(tmp_path_factory.mktemp("moved") / "project")
    pages, _ = served(site.root)
    write_url_list(project / "docs", pages)
    seed = project / "docs" / SEED_POST
    seed.write_text(seed.read_text(encoding="utf-8").replace("\ndate:", "\nslug: it-outsourcing-weighed\ndate:", 1),
                    encoding="utf-8")
    other = project / "docs" / MOVED
    other.write_text(other.read_text(encoding="utf-8").replace(
        "\ndate:", f"\nslug: vendor-access-checklist\naliases:\n  - {MOVED_URL}\ndate:", 1), encoding="utf-8")
    chapter = project / "docs" / GUIDE
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("\ndate:", f"\naliases: [{GUIDE_OLD_URL}]\ndate:", 1),
                       encoding="utf-8")
    out = project.parent / "site"
    result = mkdocs_build(project, out)
    assert result.returncode == 0, result.stderr
    return project, Site(out, site.url)


def test_a_post_whose_slug_changed_without_an_alias_loses_its_address(moved):
    project, built = moved
    missing = check(project, built.root)
    assert missing == [SEED_URL]
    assert f"/{SEED_URL}" in explain(missing)
    assert built.file_for(SEED_NEW_URL).is_file() and not built.file_for(SEED_URL).exists()


def test_an_address_listed_under_aliases_is_still_answered(moved):
    project, built = moved
    _, redirects = served(built.root)
    assert redirects == {MOVED_URL, GUIDE_OLD_URL}
    assert MOVED_URL not in check(project, built.root)
    assert urljoin(built.url + GUIDE_OLD_URL, built.page(GUIDE_OLD_URL).xpath("//a/@href")[0]) == (
        built.url + "guides/it-outsourcing/01-choosing-services/")


def test_the_redirect_page_sends_readers_to_the_new_address(moved):
    _, built = moved
    text = built.file_for(MOVED_URL).read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>")
    page = built.page(MOVED_URL)
    head = page.find("head")
    assert head[0].get("http-equiv") == "Content-Security-Policy" and head[0].get("content") == POLICY
    assert head.xpath("meta[@name='robots']/@content") == ["noindex"]
    assert head.xpath("link[@rel='canonical']/@href") == [built.url + MOVED_NEW_URL]
    [refresh] = head.xpath("meta[@http-equiv='refresh']/@content")
    delay, target = re.fullmatch(r"(\d+); url=(\S+)", refresh).groups()
    assert delay == "0" and not re.match(r"[a-z]+:|/", target), "a relative address on this site"
    assert urljoin(built.url + MOVED_URL, target) == built.url + MOVED_NEW_URL
    assert [a.get("href") for a in page.iter("a")] == [target]
    assert not list(page.iter("script")) and "data-pagefind-body" not in text


def test_the_redirect_page_is_valid_html(moved, java):
    _, built = moved
    assert built.redirect_files == {built.file_for(MOVED_URL), built.file_for(GUIDE_OLD_URL)}
    assert built.file_for(MOVED_URL) not in built.html_files
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", *map(str, built.redirect_files)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_a_redirect_page_is_in_neither_the_sitemap_nor_the_search_index(moved):
    _, built = moved
    locs = [loc.text for loc in lxml.etree.parse(str(built.root / "sitemap.xml")).iter("{*}loc")]
    assert built.url + MOVED_NEW_URL in locs and built.url + MOVED_URL not in locs
    urls = {page["url"] for page in indexed_pages(built.root)}
    assert f"/{MOVED_NEW_URL}" in urls and f"/{MOVED_URL}" not in urls


def test_loading_a_former_address_lands_on_the_new_page(moved, browser):
    from static_server import serve

    _, built = moved
    with serve(built.root) as base:
        tab = browser.new_page()
        try:
            tab.goto(base + MOVED_URL)
            tab.wait_for_url(base + MOVED_NEW_URL, timeout=10_000)
            assert tab.title().startswith("A security checklist before you give a vendor access")
        finally:
            tab.close()


# Drafts and the list --------------------------------------------------------------------------


def test_a_draft_listed_by_make_post_is_pending_not_lost(tmp_path):
    project = copy_site(tmp_path / "project")
    post = project / "docs" / "blog/posts/2026-11-20-not-yet.md"
    post.write_text("---\ntitle: Not yet\ndate: 2026-11-20\ndescription: One.\ntags: [AI]\nauthors: [editors]\n"
                    "draft: true\n---\n\n# Not yet\n\nIntro.\n\n<!-- more -->\n", encoding="utf-8")
    assert pending(project) == {"blog/2026/11/20/not-yet/"}
    later = project / "docs" / "blog/posts/2999-01-01-later.md"
    later.write_text(post.read_text(encoding="utf-8").replace("draft: true\n", "").replace("2026-11-20", "2999-01-01"),
                     encoding="utf-8")
    assert pending(project) == {"blog/2026/11/20/not-yet/", "blog/2999/01/01/not-yet/"}
    # Once its day has come, a scheduled post is published: no longer pending.
    assert pending(project, now=dt.datetime(3000, 1, 1, tzinfo=dt.timezone.utc)) == {"blog/2026/11/20/not-yet/"}
    assert lost(["blog/2026/11/20/not-yet/", "gone/"], set(), set(), pending(project)) == ["gone/"]


# Former addresses in the front matter ---------------------------------------------------------


def meta(**changes) -> dict:
    return {"title": "A post", "date": dt.date(2026, 11, 20), "description": "One.", "tags": ["AI"],
            "authors": ["editors"], **changes}


@pytest.mark.parametrize("alias", [
    "/blog/old/", "blog/old", "https://example.com/old/", "blog/../old/", "./", "blog/.hidden/",
    "blog/old/?x=1/", "blog/old#top/", "blog/caf%C3%A9/", "blog//old/", "blog/ old/", "~user/",
])
def test_a_former_address_must_be_a_site_relative_folder(alias, vocabulary):
    found = [str(p) for p in validate(meta(aliases=[alias]), path="x.md", tags=list(vocabulary), authors=["editors"])]
    assert found == [f"x.md:1: aliases: {alias!r} is not a former address on this site (write the path after "
                     "the site's address, ending with '/', without a leading '/', 'https:', '..', '?', '#' or "
                     "'%': like 'blog/2026/11/02/old-slug/')"]


@pytest.mark.parametrize("aliases, expected", [
    ("blog/old/", "aliases: is text, must be a list of former addresses (aliases: [blog/2026/11/02/old-slug/])"),
    ([], "aliases: is an empty list, needs at least one (aliases: [blog/2026/11/02/old-slug/])"),
    (["a/", "a/"], "aliases: names the same item twice (list each once)"),
    ([7], "aliases: is a number, must be an address (aliases: [blog/2026/11/02/old-slug/])"),
])
def test_aliases_is_a_list_of_distinct_addresses(aliases, expected, vocabulary):
    found = [str(p) for p in validate(meta(aliases=aliases), path="x.md", tags=list(vocabulary), authors=["editors"])]
    assert found == [f"x.md:1: {expected}"]


def test_good_former_addresses_are_valid(vocabulary):
    aliases = ["blog/2026/11/02/old-slug/", "old_site/Post.html-x/", "a/"]
    assert validate(meta(aliases=aliases), path="x.md", tags=list(vocabulary), authors=["editors"]) == []


def test_a_former_address_may_be_no_page_address_and_one_page_s_only():
    urls = {"blog/a/": [("docs/a.md", 2, "post")], "blog/b/": [("docs/b.md", 2, "post")],
            "guides/c/": [("docs/c.md", 2, "guide")]}
    former: dict = {}
    lines = {("aliases", 0): 7, ("aliases", 1): 8, "aliases": 6}
    assert claim_aliases(former, {"aliases": ["blog/a/", "blog/b/"]}, lines, path="docs/a.md", url="blog/a/", kind="post") == []
    claim_aliases(former, {"aliases": ["old/"]}, {"aliases": 5}, path="docs/b.md", url="blog/b/", kind="post")
    claim_aliases(former, {"aliases": ["old/"]}, {}, path="docs/c.md", url="guides/c/", kind="guide")
    assert [str(p) for p in alias_problems(former, urls)] == [
        "docs/a.md:7: aliases: /blog/a/ is this page's own address (list only the addresses it had before)",
        "docs/a.md:8: aliases: /blog/b/ is the address of docs/b.md (an address is a page's or a former "
        "one, not both: remove it here)",
        "docs/c.md:1: aliases: /old/ is also a former address of docs/b.md (an old address leads to one "
        "page: keep it in one of them)",
    ]
    [problem] = claim_aliases({}, {"aliases": ["x/"]}, {"aliases": 3}, path="docs/index.md", url="", kind=None)
    assert str(problem) == ("docs/index.md:3: aliases: only posts and guide pages list former addresses "
                            "(remove the field)")


def test_a_former_address_that_a_page_has_fails_the_build_naming_the_line(site_copy, tmp_path):
    other = site_copy / "docs" / MOVED
    other.write_text(other.read_text(encoding="utf-8").replace("\ndate:", f"\naliases:\n  - {SEED_URL}\ndate:", 1),
                     encoding="utf-8")
    result = mkdocs_build(site_copy, tmp_path / "out")
    assert result.returncode != 0
    assert (f"docs/{MOVED}:4: aliases: /{SEED_URL} is the address of docs/{SEED_POST} "
            "(an address is a page's or a former one, not both: remove it here)") in result.stderr, result.stderr


def test_a_former_address_where_the_build_writes_a_page_fails_the_build(site_copy, tmp_path):
    other = site_copy / "docs" / MOVED
    other.write_text(other.read_text(encoding="utf-8").replace("\ndate:", "\naliases: [tags/ai/]\ndate:", 1),
                     encoding="utf-8")
    result = mkdocs_build(site_copy, tmp_path / "out")
    assert result.returncode != 0
    assert (f"docs/{MOVED}:3: aliases: /tags/ai/ is the address of tags/ai.md, which the build generates "
            "(list only addresses that no page has now)") in result.stderr, result.stderr


def test_the_redirect_stage_checks_each_path_again_before_writing_a_file(tmp_path):
    # The gate refuses such an alias first; this stage does not rely on it to stay inside site/.
    from mkdocs.structure.files import File, Files

    from blogpost.features.redirects import add_redirects
    from blogpost.layout import Layout
    from project import config

    (tmp_path / "docs/guides").mkdir(parents=True)
    (tmp_path / "docs/guides/x.md").write_text("---\ntitle: X\naliases: [../../escape/]\n---\n", encoding="utf-8")
    files = Files([File("guides/x.md", str(tmp_path / "docs"), str(tmp_path / "site"), True)])
    [problem] = add_redirects(files, config(ROOT), Layout())  # for the build's one report
    assert problem.path.endswith("docs/guides/x.md") and (problem.line, problem.field) == (1, "aliases")
    assert problem.message == "'../../escape/' is not a former address on this site"
    assert [file.src_uri for file in files] == ["guides/x.md"]
