"""Every internal link and resource in the built HTML resolves, fragments included."""

from urllib.parse import urlsplit

LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src"}


def ids_of(site, path):
    tree = site.tree(path)
    return {e.get("id") for e in tree.iter() if e.get("id")} | {
        e.get("name") for e in tree.iter("a") if e.get("name")
    }


def test_every_internal_link_and_fragment_resolves(site):
    checked = fragments = 0
    problems = []
    for path in site.html_files:
        base = site.url_of(path)
        if path.name == "404.html":
            base = ""  # served at any address; its links are absolute
        for tag, attr in LINK_ATTRS.items():
            for element in site.tree(path).iter(tag):
                href = element.get(attr)
                if href is None or urlsplit(href).scheme in {"mailto", "data"}:
                    continue
                target = site.to_site_path(href, base)
                if target is None:
                    continue
                checked += 1
                where, fragment = target
                file = site.file_for(where)
                if not file.is_file():
                    problems.append(f"{base or path.name}: {href} -> missing {where}")
                    continue
                if fragment and file.suffix == ".html":
                    fragments += 1
                    if fragment not in ids_of(site, file):
                        problems.append(f"{base or path.name}: {href} -> no #{fragment} in {where}")
    assert not problems, "\n".join(problems)
    assert checked > 100, f"only {checked} links checked"
    assert fragments > 10, f"only {fragments} fragments checked"


def test_sitemap_lists_only_pages_that_exist(site):
    import lxml.etree

    urls = [loc.text for loc in lxml.etree.parse(str(site.root / "sitemap.xml")).iter("{*}loc")]
    assert urls
    for url in urls:
        assert url.startswith(site.url), url
        assert site.file_for(url[len(site.url):]).is_file(), url


def test_404_page_is_built_and_links_home(site):
    page = site.tree("404.html")
    assert "not found" in page.findtext(".//h1").lower()
    hrefs = [a.get("href") for a in page.cssselect("article a")]
    assert site.url in hrefs


def test_404_page_leads_to_the_blog_the_guides_and_the_tags_and_offers_search(site):
    page = site.tree("404.html")
    paths = {site.to_site_path(a.get("href"), "404.html")[0] for a in page.cssselect("article a")}
    assert {"blog/", "guides/", "tags/"} <= paths, paths
    assert page.cssselect("article button[data-search-open][aria-controls=search]")
