"""sitemap.xml dates each page from its content: its `updated`, else its `date`; a list by the
newest change among what it shows; no <lastmod> without a date; never the build's time. Two
builds a day apart give the same sitemap.xml and sitemap.xml.gz, byte for byte."""

from __future__ import annotations

import datetime as dt
import gzip
import struct
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.etree
import pytest
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from blogpost.content.addresses import url_of
from blogpost.content.publication import publication
from blogpost.layout import Layout
from blogpost.model import load_vocabulary, to_datetime
from conftest import BUILD_ENV, ROOT
from project import config, copy_site

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap(root: Path) -> dict[str, str | None]:
    """Each <loc> of a built sitemap.xml (site-relative) and its <lastmod>, or None."""
    tree = lxml.etree.parse(str(root / "sitemap.xml"))
    assert tree.getroot().tag == f"{NS}urlset"
    found = {}
    for url in tree.getroot():
        assert [child.tag for child in url][:1] == [f"{NS}loc"]
        found[url.findtext(f"{NS}loc")] = url.findtext(f"{NS}lastmod")
    return found


def source_dates(project: Path) -> tuple[dict[str, dt.date], dict[str, tuple[str, ...]]]:
    """From the project's Markdown: each page's day of last change (`updated`, else `date`, in
    the site's timezone) and each dated published page's tags, by its site-relative address."""
    site = config(project)
    options = site.plugins["blogpost"].config
    tz = ZoneInfo(options.timezone)
    layout = Layout.of(site, guides_dir=options.guides_dir, tags_dir=options.tags_dir)
    dates, tags = {}, {}
    for path in sorted(Path(site.docs_dir).rglob("*.md")):
        src_uri = path.relative_to(site.docs_dir).as_posix()
        _, meta = get_data(path.read_text(encoding="utf-8"))
        moment = to_datetime(meta.get("updated"), tz) or to_datetime(meta.get("date"), tz)
        if moment is None or publication(meta, dt.datetime.now(tz), tz):
            continue  # undated, or not published (a draft, or scheduled)
        file = File(src_uri, site.docs_dir, site.site_dir, site.use_directory_urls)
        url = url_of(file, meta, site, layout.kind_of(src_uri))
        dates[url] = moment.astimezone(tz).date()
        tags[url] = tuple(meta.get("tags") or ())
    return dates, tags


def shown(built, url: str) -> list[str]:
    """The site-relative addresses a page lists: the posts of its cards and every other link in
    its article, but the tag chips of the cards (a tag page lists only what carries its tag)."""
    page = built.page(url)
    links = [a.get("href") for a in page.cssselect(".bp-card__title a, article.md-content__inner a:not([rel=tag])")]
    found = []
    for href in links:
        target = built.to_site_path(href or "", url)
        if target and not target[1]:
            found.append(target[0])
    return found


@pytest.mark.parametrize("which", ["site", "sample_site"])
def test_each_lastmod_is_the_date_of_the_page_or_of_the_newest_it_shows(which, request):
    built = request.getfixturevalue(which)
    project = ROOT if which == "site" else built.root.parent / "project"
    dates, tags = source_dates(project)
    listed = sitemap(built.root)
    assert listed

    tag_names = {tag.url: name for name, tag in load_vocabulary(str(project / "docs")).items()}

    def newest(url: str) -> dt.date | None:
        if url in dates:  # a post or a guide page: its own date
            return dates[url]
        days = []
        for target in shown(built, url):
            if target in dates:
                days.append(dates[target])
            elif target in tag_names:  # a tag, shown with its count: every entry carrying it
                days += [dates[u] for u, names in tags.items() if tag_names[target] in names]
        return max(days, default=None)

    checked = {"own": 0, "list": 0, "none": 0}
    for loc, lastmod in listed.items():
        url = loc.removeprefix(built.url)
        expected = newest(url)
        assert lastmod == (expected.isoformat() if expected else None), url
        checked["own" if url in dates else "list" if expected else "none"] += 1
    assert checked["own"] > 5 and checked["list"] > 3, checked


def test_a_further_page_of_the_blog_is_dated_by_the_posts_it_shows(sample_site):
    # Page 2 shows the oldest sample posts; "Sample three" (2001-01-03) was updated 2001-02-01.
    listed = sitemap(sample_site.root)
    assert listed[sample_site.url + "blog/page/2/"] == "2001-02-01"
    assert listed[sample_site.url + "tags/samplec/"] == "2001-01-05"
    assert listed[sample_site.url + "blog/2001/01/03/sample-three/"] == "2001-02-01"


# Two builds a day apart ------------------------------------------------------------------------

# A build at a given moment: the clock (time-machine: everything that asks Python the time, such
# as the gate deciding what is scheduled) and SOURCE_DATE_EPOCH (what MkDocs takes as the build's
# date, and stamps sitemap.xml.gz with) say the same.
AT = """
import sys, time_machine
from mkdocs.__main__ import cli
time_machine.travel(float(sys.argv[1]), tick=False).start()
cli(sys.argv[2:])
"""
DAY1 = dt.datetime(2030, 1, 1, 12, tzinfo=dt.timezone.utc)
# Dated after today and before DAY1: published only if the build's clock is the faked one.
EVE = ("blog/posts/2029-12-31-eve.md", "blog/2029/12/31/eve/")


def build_at(project: Path, moment: dt.datetime, out: Path) -> None:
    stamp = str(int(moment.timestamp()))
    result = subprocess.run(
        [sys.executable, "-c", AT, stamp, "build", "--strict", "--site-dir", str(out)],
        cwd=project, env={**BUILD_ENV, "SOURCE_DATE_EPOCH": stamp}, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def two_days(tmp_path_factory) -> tuple[Path, Path]:
    project = copy_site(tmp_path_factory.mktemp("days") / "project")
    (project / "docs" / EVE[0]).write_text(
        "---\ntitle: Eve\ndate: 2029-12-31\ndescription: The last post of 2029.\ntags: [AI]\n"
        "authors: [editors]\n---\n\n# Eve\n\nIntro.\n\n<!-- more -->\n\nMore.\n", encoding="utf-8")
    first, second = project.parent / "day1", project.parent / "day2"
    build_at(project, DAY1, first)
    build_at(project, DAY1 + dt.timedelta(days=1), second)
    return first, second


def test_two_builds_a_day_apart_give_the_same_sitemap(two_days):
    first, second = two_days
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    listed = sitemap(first)
    # The builds ran at the faked time: the post dated 2029 is out, and dates the lists showing it.
    url = "https://blog-post.github.io/blog-post/"
    assert listed[url + EVE[1]] == "2029-12-31" and listed[url + "blog/"] == "2029-12-31"
    assert not any(day and day.startswith("2030") for day in listed.values()), "a build's date in the sitemap"


def test_the_compressed_sitemap_is_the_sitemap_stamped_with_its_newest_date(two_days):
    first, _ = two_days
    data = (first / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(data) == (first / "sitemap.xml").read_bytes()
    newest = max(day for day in sitemap(first).values() if day)
    [stamp] = struct.unpack("<I", data[4:8])  # the gzip header's MTIME
    assert dt.datetime.fromtimestamp(stamp, dt.timezone.utc) == dt.datetime.fromisoformat(newest).replace(
        tzinfo=dt.timezone.utc)
