"""Site-wide promises: no request to another host, the theme's settings, and a build that
works for a post the author has not committed yet."""

import re

from conftest import mkdocs_build

RESOURCE = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
            "audio": "src", "embed": "src", "object": "data", "link": "href"}


def test_no_page_loads_anything_from_another_host(site):
    loads = 0
    for path in site.html_files:
        base = site.url_of(path) if path.name != "404.html" else ""
        for tag, attr in RESOURCE.items():
            for element in site.tree(path).iter(tag):
                url = element.get(attr)
                if url is None or (tag == "link" and element.get("rel") in {"canonical", "alternate"}):
                    continue
                loads += 1
                assert site.to_site_path(url, base) is not None, f"{path.relative_to(site.root)}: {url}"
    assert loads > 0


def test_no_stylesheet_imports_from_another_host(site):
    css = list(site.root.rglob("*.css"))
    assert css
    for path in css:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", text), path
        assert not re.search(r"url\(['\"]?(https?:)?//", text), path


def test_theme_uses_system_fonts_and_offers_both_palettes(config, site):
    assert config["theme"]["font"] is False
    schemes = [p["scheme"] for p in config["theme"]["palette"]]
    assert schemes == ["default", "slate"]
    assert all("toggle" in p for p in config["theme"]["palette"])
    assert site.page("").cssselect("form[data-md-component=palette] input")


def test_a_post_not_yet_committed_builds(site_copy, tmp_path):
    post = site_copy / "docs" / "blog" / "posts" / "2026-11-03-draft-in-progress.md"
    post.write_text(
        "---\ntitle: Work in progress\ndate: 2026-11-03\n"
        "description: A post that exists only in the author's working tree.\n"
        "tags: [Learning]\nauthors: [editors]\n---\n\n# Work in progress\n\nIntro.\n\n<!-- more -->\n\nBody.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = mkdocs_build(site_copy, out)
    assert result.returncode == 0, result.stderr
    assert (out / "blog/2026/11/03/work-in-progress/index.html").is_file()
    assert "work-in-progress" in (out / "tags/learning/index.html").read_text(encoding="utf-8")
