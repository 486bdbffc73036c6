"""The home page greets readers, says what the site is for, features the guide, shows the latest
posts as cards, lets readers browse by tag and subscribe; the blog's views show the same cards."""

import re
from types import SimpleNamespace

from material.plugins.blog.structure import Excerpt

from blogpost.features.listings import ListedPost, listed_by_card
from conftest import SEED_URL
from page_meta import built_posts, one

LATEST = 5  # latest_posts in mkdocs.yml


def _cards(site, url: str, under: str = ""):
    root = site.page(url)
    scope = root.cssselect(under)[0].getnext() if under else root
    cards = scope.cssselect(".bp-card")
    assert cards, f"{url or 'home'}: no cards"
    return cards


def _target(site, anchor, base: str) -> str:
    return site.to_site_path(anchor.get("href"), base)[0]


def test_home_greets_readers(site):
    assert site.page("").cssselect("article h1")[0].text_content().strip("¶ ") == "Welcome to Blog Post!"


def test_home_shows_the_latest_posts_as_cards_with_date_reading_time_tags_and_description(site):
    posts = built_posts(site)
    cards = _cards(site, "", "h2#latest-posts")
    assert [_target(site, c.cssselect(".bp-card__title a")[0], "") for c in cards] == [p.url for p in posts[:LATEST]]
    for card, post in zip(cards, posts):
        meta = " ".join(card.cssselect(".bp-card__meta")[0].text_content().split())
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4} \d+ min read", meta), meta
        assert card.cssselect("time")[0].get("datetime") == post.published.isoformat()
        minutes = " ".join(post.tree.cssselect(".post-byline")[0].text_content().split())
        assert re.search(r"(\d+) min read", meta).group(1) in minutes
        assert card.cssselect(".bp-card__description")[0].text_content() == one(post.tree, "description")
        chips = [_target(site, a, "") for a in card.cssselect("a.md-tag[rel=tag]")]
        assert len(chips) == len(post.tags) and all(c.startswith("tags/") for c in chips)
    text = site.text("")
    assert "Post ·" not in text and SEED_URL in [_target(site, c.cssselect("a")[0], "") for c in cards]


def test_home_features_each_guide_with_its_chapters_in_reading_order(site, config):
    guide = site.page("").cssselect("article .bp-guide")
    assert len(guide) == 1
    [nav_guide] = [item for item in config["nav"] if "Guides" in item][0]["Guides"][1:]
    [(title, pages)] = nav_guide.items()
    assert guide[0].cssselect(".bp-guide__title")[0].text_content() == title
    chapters = [_target(site, a, "") for a in guide[0].cssselect("ol.bp-guide__chapters a")]
    assert chapters == [p.removesuffix(".md") + "/" for p in pages[1:]]
    assert "8 chapters" in guide[0].text_content() and "Last reviewed" in guide[0].text_content()


def test_home_lets_readers_browse_every_tag_with_its_count(site, vocabulary):
    tags = site.page("").cssselect("article ul.bp-tags > li")
    assert [_target(site, li.cssselect("a")[0], "") for li in tags] == [f"tags/{t.slug}/" for t in vocabulary.values()]
    for li, tag in zip(tags, vocabulary.values()):
        count = len(site.page(f"tags/{tag.slug}/").cssselect("article .bp-card"))
        assert f"{count} {'entry' if count == 1 else 'entries'}" in li.text_content()
        assert tag.description in li.text_content()


def test_home_links_to_the_feeds_to_subscribe(site):
    links = {_target(site, a, ""): a.text_content() for a in site.page("").cssselect("article a")}
    assert links.get("feed.xml") == "Subscribe by RSS"
    assert "atom.xml" in links


def test_blog_views_show_the_same_cards_with_tags_and_no_table_of_contents(site):
    posts = built_posts(site)
    for url in ("blog/", "blog/archive/2026/", "blog/author/editors/"):
        cards = _cards(site, url)
        assert [_target(site, c.cssselect("h2.bp-card__title a")[0], url) for c in cards] == [
            p.url for p in posts if p.published.year == 2026][:len(cards)]
        assert all(c.cssselect("a.md-tag[rel=tag]") for c in cards), url
        assert not site.page(url).cssselect(".md-sidebar--secondary a.md-nav__link"), url


def test_a_listed_post_s_excerpt_is_never_converted():
    # The views show each post's card: Material's excerpt of it is kept for its post and file,
    # and its render (once per list page showing it) converts nothing.
    excerpt = object.__new__(Excerpt)
    excerpt.md = None  # a conversion would need the parser
    post = SimpleNamespace(excerpt=excerpt)
    listed_by_card(post)
    assert post.excerpt is excerpt and isinstance(excerpt, ListedPost) and isinstance(excerpt, Excerpt)
    excerpt.render(SimpleNamespace(url="blog/"), "<!-- more -->")
    assert excerpt.content == "" and excerpt.toc.items == [] and excerpt.more is None


def test_a_card_s_html_is_drawn_once_for_equal_cards_and_kept_while_its_template_is(tmp_path):
    import datetime as dt
    import os

    from jinja2 import Environment, FileSystemLoader

    from blogpost.features.listings import CardMarkup
    from blogpost.page_data import Card, Chip

    template = tmp_path / "partials" / "post-card.html"
    template.parent.mkdir()
    template.write_text("<h{{ level }}>{{ card.title }}</h{{ level }}>"
                        "{% for tag in card.tags %}<a href='{{ tag.url }}'>{{ tag.name }}</a>{% endfor %}")
    env = Environment(loader=FileSystemLoader(tmp_path))
    env.globals["card_html"] = cards = CardMarkup()
    page = env.from_string("{{ card_html(card, level) }}")
    renders = []

    def build():
        cards.start(env)
        if "render" not in vars(cards.template):  # one template object for every build
            render = cards.template.render
            cards.template.render = lambda *a, **k: renders.append(k["card"].title) or render(*a, **k)

    def card(title="A", tag="x"):  # a new object each time, as every page and build makes it
        return Card(title, "../a/", dt.datetime(2026, 1, 1), "1 January 2026", "d", (Chip(tag, f"../tags/{tag}/"),))

    build()
    html = page.render(card=card(), level=2)
    assert html == "<h2>A</h2><a href='../tags/x/'>x</a>"
    assert page.render(card=card(), level=2) == html and renders == ["A"]  # equal cards, drawn once
    page.render(card=card(tag="y"), level=2)
    page.render(card=card(), level=3)
    assert renders == ["A", "A", "A"]
    build()  # the next build of `mkdocs serve`
    assert page.render(card=card(), level=2) == html and len(renders) == 3
    assert cards.drawn == {key: None for key in cards.drawn} and len(cards.drawn) == 1
    for _ in range(CardMarkup.KEEP + 1):
        build()
    assert page.render(card=card(tag="y"), level=2) and len(renders) == 4  # not shown for KEEP builds
    os.utime(template, ns=(1, 1))
    build()
    assert page.render(card=card(), level=2) == html and len(renders) == 5  # another template
    other = CardMarkup()  # a second process, forked from this one, draws a card: kept here
    other.found, other.builds, other.version, other.template = dict(cards.found), cards.builds, cards.version, cards.template
    other.drawn = {}
    env.globals["card_html"] = other
    page.render(card=card("B"), level=2)
    env.globals["card_html"] = cards
    cards.keep(other.drawn)
    assert page.render(card=card("B"), level=2) == "<h2>B</h2><a href='../tags/x/'>x</a>" and len(renders) == 6


def test_a_card_drawn_already_is_known_without_a_template_s_context(tmp_path):
    """CardMarkup.known gives a card's HTML as drawn in this build or one of the last KEEP (the
    preview puts it in place of another card on a blog view's page), never one not drawn,
    drawn at another level, or a draft's (its label is the context's), and keeps it known."""
    import datetime as dt

    from jinja2 import Environment, FileSystemLoader

    from blogpost.features.listings import CardMarkup
    from blogpost.page_data import Card

    template = tmp_path / "partials" / "post-card.html"
    template.parent.mkdir()
    template.write_text("<h{{ level }}>{{ card.title }}</h{{ level }}>")
    env = Environment(loader=FileSystemLoader(tmp_path))
    env.globals["card_html"] = cards = CardMarkup()
    env.globals["lang"] = type("Lang", (), {"t": staticmethod(lambda key: "Draft")})
    page = env.from_string("{{ card_html(card, 2) }}")

    def card(title="A", draft=False):
        return Card(title, "../a/", dt.datetime(2026, 1, 1), "1 January 2026", "d", (), draft=draft)

    cards.start(env)
    assert cards.known(card(), 2) is None  # not drawn yet
    page.render(card=card())
    page.render(card=card("B", draft=True))
    assert cards.known(card(), 2) == "<h2>A</h2>"
    assert cards.known(card(), 3) is None and cards.known(card("B", draft=True), 2) is None
    for _ in range(CardMarkup.KEEP + 2):  # known in every build: kept
        cards.start(env)
        assert cards.known(card(), 2) == "<h2>A</h2>"
    for _ in range(CardMarkup.KEEP + 1):
        cards.start(env)
    assert cards.known(card(), 2) is None  # neither drawn nor known for KEEP builds


def test_a_card_at_another_offset_of_the_same_instant_is_drawn_anew(tmp_path):
    """Equal cards can differ in what their HTML writes: the date's offset (equal instants
    compare equal). The preview keeps cards' HTML from build to build: an author who moves a
    post's date to another offset sees it written so."""
    import datetime as dt

    from jinja2 import Environment, FileSystemLoader

    from blogpost.features.listings import CardMarkup
    from blogpost.page_data import Card

    template = tmp_path / "partials" / "post-card.html"
    template.parent.mkdir()
    template.write_text('<time datetime="{{ card.date.isoformat() }}">{{ card.date_text }}</time>')
    env = Environment(loader=FileSystemLoader(tmp_path))
    env.globals["card_html"] = cards = CardMarkup()
    page = env.from_string("{{ card_html(card, 2) }}")
    noon = dt.datetime(2026, 1, 2, 12, tzinfo=dt.timezone.utc)
    at_one = noon.astimezone(dt.timezone(dt.timedelta(hours=1)))

    def card(date):
        return Card("A", "../a/", date, "2 January 2026", "d", ())

    assert card(noon).date == card(at_one).date  # the same instant
    cards.start(env)
    assert page.render(card=card(noon)) == '<time datetime="2026-01-02T12:00:00+00:00">2 January 2026</time>'
    cards.start(env)  # the next build of the preview
    assert cards.known(card(at_one), 2) is None
    assert page.render(card=card(at_one)) == '<time datetime="2026-01-02T13:00:00+01:00">2 January 2026</time>'
    assert cards.known(card(noon), 2) == '<time datetime="2026-01-02T12:00:00+00:00">2 January 2026</time>'


def test_every_page_has_a_description(site):
    for path in site.html_files:
        meta = site.tree(path).cssselect('meta[name="description"]')
        assert meta and meta[0].get("content", "").strip(), f"{path.relative_to(site.root)}"


def test_home_introduces_the_site_before_its_lists(site):
    h1 = site.page("").cssselect("article h1")[0]
    intro, node = [], h1.getnext()
    while node is not None and node.tag != "h2":
        intro.append(" ".join(node.text_content().split()))
        node = node.getnext()
    text = " ".join(intro)
    assert "blog" in text and "guides" in text and "Subscribe by RSS" in text
