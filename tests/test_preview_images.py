"""Link-preview images: each post and guide page links a 1200x630 PNG of its own title and tags
in its Open Graph and Twitter tags; other pages keep the site-wide card; a preview is drawn the
same every time, and drawn again only when what it shows changes."""

from __future__ import annotations

import datetime as dt
import io
import struct
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from mkdocs.exceptions import PluginError
from mkdocs.utils.yaml import yaml_load
from PIL import Image

from blogpost.features import preview_images as previews_module
from blogpost.features.preview_images import HEIGHT, MARGIN, WIDTH, Previews, cache_folder, draw
from blogpost.model import to_datetime
from conftest import DOCS, ROOT, SAMPLE_POSTS, Site, mkdocs_build
from page_meta import meta, one
from project import config as project_config

PREVIEWS = "assets/previews/"
SITE_CARD = "assets/images/social-card.png"
INDIGO_700, INDIGO_800 = (48, 63, 159), (40, 53, 147)


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8-sig").split("---", 2)[1])


def entry_titles() -> list[str]:
    """The titles of the published posts and guide pages that carry tags: the site's entries."""
    with (ROOT / "mkdocs.yml").open("rb") as file:
        tz = ZoneInfo(yaml_load(file)["plugins"]["blogpost"]["timezone"])
    titles = []
    for path in sorted([*(DOCS / "blog/posts").rglob("*.md"), *(DOCS / "guides").rglob("*.md")]):
        fm = _front_matter(path)
        if fm.get("tags") and not fm.get("draft") and to_datetime(fm["date"], tz) <= dt.datetime.now(tz):
            titles.append(fm["title"])
    return titles


def previewed(site: Site) -> dict[str, object]:
    """Each page whose og:image is a preview, by its site-relative URL: its parsed tree."""
    return {site.url_of(path): site.tree(path) for path in site.html_files
            if meta(site.tree(path), "og:image")
            and meta(site.tree(path), "og:image")[0].startswith(site.url + PREVIEWS)}


def test_every_post_and_guide_page_links_a_1200_by_630_png_of_its_own(site):
    pages = previewed(site)
    assert sorted(one(tree, "og:title") for tree in pages.values()) == sorted(entry_titles())
    images = set()
    for url, tree in pages.items():
        image, title = one(tree, "og:image"), one(tree, "og:title")
        with Image.open(site.file_for(image[len(site.url):])) as png:
            assert (png.format, png.size) == ("PNG", (WIDTH, HEIGHT)), url
            rgb = png.convert("RGB")
            # The site's indigo behind the title, a darker band with the site's name.
            assert rgb.getpixel((5, 5)) == INDIGO_700 and rgb.getpixel((5, HEIGHT - 5)) == INDIGO_800, url
        assert (one(tree, "og:image:width"), one(tree, "og:image:height")) == ("1200", "630"), url
        assert one(tree, "og:image:alt") == one(tree, "twitter:image:alt") == title, url
        assert one(tree, "twitter:image") == image, url
        images.add(image)
    assert len(images) == len(pages)  # one each


def test_other_pages_keep_the_site_wide_card(site):
    for url in ("", "blog/", "tags/", "tags/ai/", "blog/archive/2026/"):
        assert one(site.page(url), "og:image") == site.url + SITE_CARD, url
        assert one(site.page(url), "twitter:image") == site.url + SITE_CARD, url


def test_no_preview_is_published_for_a_draft_or_a_scheduled_page(sample_site):
    linked = {one(tree, "og:image")[len(sample_site.url):] for tree in previewed(sample_site).values()}
    published = {path.relative_to(sample_site.root).as_posix() for path in (sample_site.root / PREVIEWS).rglob("*")
                 if path.is_file()}
    samples = [stem for stem, (_, date, _, extra) in SAMPLE_POSTS.items()
               if "draft" not in extra and not date.startswith("2999")]
    assert linked == published and len(published) == len(entry_titles()) + len(samples)


def test_the_same_inputs_draw_the_same_bytes_with_no_time_or_text_in_the_png():
    first = draw("Vendor access reviews", ("CyberSecurity", "AI"), "Blog Post")
    assert draw("Vendor access reviews", ("CyberSecurity", "AI"), "Blog Post") == first
    assert draw("Vendor access reviews", ("AI",), "Blog Post") != first
    chunks, at = [], 8
    while at < len(first):
        length, kind = struct.unpack(">I4s", first[at:at + 8])
        chunks.append(kind.decode())
        at += 12 + length
    assert chunks[0] == "IHDR" and chunks[-1] == "IEND"
    assert set(chunks) <= {"IHDR", "PLTE", "IDAT", "IEND"}, chunks


@pytest.mark.parametrize("title", [
    "Selecting a partner",
    "A very long title that goes on about vendor contracts, service levels, audits, budgets, risk "
    "controls, handover backlogs, incident response, outages, recovery and backup policies",
    "See https://example.com/a/very/long/address/that/never/ends/and/must/be/cut/somewhere/to/fit",
    "word " * 200,
])
def test_a_title_of_any_length_stays_inside_its_margins_above_the_band(title):
    with Image.open(io.BytesIO(draw(title, ("AI",), "Blog Post"))) as png:
        rgb = png.convert("RGB")
    # Right of the text column, from the top to the band: background only.
    assert rgb.crop((WIDTH - MARGIN + 8, 0, WIDTH, 530)).getcolors() == [((MARGIN - 8) * 530, INDIGO_700)]
    font, lines = previews_module._fit(" ".join(title[:previews_module.MAX_CHARS].split()), previews_module.Typeface())
    assert 1 <= len(lines) <= 4
    assert all(font.getlength(line) <= WIDTH - 2 * MARGIN for line in lines)
    if len(title) > 300:
        assert lines[-1].endswith("…") and font.size == min(previews_module.TITLE_SIZES)


def test_a_short_title_is_drawn_larger_than_a_long_one():
    face = previews_module.Typeface()
    short, _ = previews_module._fit("Selecting a partner", face)
    long, lines = previews_module._fit("Building a learning plan for a team that works with vendors, "
                                       "and the budget, reviews and evidence it needs", face)
    assert short.size > long.size and len(lines) > 1


def test_the_cache_draws_a_preview_once_and_again_only_when_what_it_shows_changes(tmp_path):
    first = Previews(tmp_path, "Blog Post")
    key, path = first.picture("Selecting a partner", ("Learning",))
    assert (first.drawn, first.reused) == (1, 0) and path == tmp_path / f"{key}.png"
    png = path.read_bytes()
    again = Previews(tmp_path, "Blog Post")  # as the next build has
    assert again.picture("Selecting a partner", ("Learning",)) == (key, path)
    assert (again.drawn, again.reused) == (0, 1) and path.read_bytes() == png
    for title, tags, site_name in [("Selecting a vendor", ("Learning",), "Blog Post"),
                                   ("Selecting a partner", ("Learning", "AI"), "Blog Post"),
                                   ("Selecting a partner", ("Learning",), "Another blog")]:
        other = Previews(tmp_path, site_name)
        assert other.picture(title, tags)[0] != key and (other.drawn, other.reused) == (1, 0)
    assert len(list(tmp_path.iterdir())) == 4  # one file a picture, no temporary file left


def test_without_a_writable_cache_the_preview_is_still_made(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    for cache in (None, blocked):
        previews = Previews(cache, "Blog Post")
        _, png = previews.picture("Selecting a partner", ("Learning",))
        assert isinstance(png, bytes) and png == draw("Selecting a partner", ("Learning",), "Blog Post")
    assert blocked.read_text() == "not a folder"


def test_the_cache_folder_is_outside_docs_and_the_site():
    site = project_config(ROOT)
    assert cache_folder(site, ".cache/previews", ROOT) == ROOT / ".cache" / "previews"
    assert cache_folder(site, "", ROOT) is None
    for inside in ("docs/previews", "docs", "site/.previews"):
        with pytest.raises(PluginError, match=r"previews_cache: .* is inside (docs_dir|site_dir)"):
            cache_folder(site, inside, ROOT)


def test_a_rebuild_draws_only_the_preview_whose_title_changed(site_copy, tmp_path, config):
    cache = site_copy / ".cache" / "previews"
    first = mkdocs_build(site_copy, tmp_path / "first")
    assert first.returncode == 0, first.stderr
    before = {path.name: path.stat().st_mtime_ns for path in cache.iterdir()}
    assert len(before) == len(entry_titles())  # a cold cache: every preview drawn and kept

    post = site_copy / "docs/blog/posts/2026-11-02-it-outsourcing-pros-cons-and-best-practices.md"
    old = _front_matter(post)["title"]
    post.write_text(post.read_text(encoding="utf-8").replace(f'title: "{old}"', 'title: "Outsourcing IT, weighed"', 1),
                    encoding="utf-8")
    second = mkdocs_build(site_copy, tmp_path / "second")
    assert second.returncode == 0, second.stderr
    after = {path.name: path.stat().st_mtime_ns for path in cache.iterdir()}
    assert {name: after[name] for name in before} == before  # none of them drawn again
    assert len(after) == len(before) + 1  # the one whose title changed

    sites = [Site(tmp_path / name, config["site_url"].rstrip("/") + "/") for name in ("first", "second")]
    images = [{url: one(tree, "og:image") for url, tree in previewed(built).items()} for built in sites]
    # The post's address follows its title; every other page links the preview it had.
    kept = set(images[0].values()) & set(images[1].values())
    assert len(kept) == len(images[0]) - 1
    [(url, image)] = [(url, image) for url, image in images[1].items() if image not in kept]
    assert one(sites[1].page(url), "og:image:alt") == "Outsourcing IT, weighed"
    assert image.startswith(sites[1].url + PREVIEWS + url.rstrip("/") + ".")
