"""Lists of posts and guides: one generated page per tag, the markers <!-- latest-posts -->,
<!-- guides -->, <!-- tag-list --> and <!-- tag-index --> in authored pages, the cards of a blog
view's posts, and the tag chips of a page.

A post or guide page in a list is one card (partials/post-card.html) wherever it is shown. The
markers that become cards stay in the page's Markdown as HTML comments and are replaced in its
HTML once every page has been rendered (render_lists), when each post's reading time is known.
The blog's own lists (index, archive, authors) show the same cards, never Material's excerpts:
an excerpt is not converted at all (ListedPost)."""

from __future__ import annotations

import functools
import os
import re

from jinja2 import Environment, pass_context
from markupsafe import Markup
from material.plugins.blog.structure import Excerpt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils import get_relative_url as _get_relative_url

from blogpost.layout import Layout
from blogpost.model import Entry, Model, Tag
from blogpost.page_data import Card, Chip, data
from blogpost.text import human_date, markdown_text, relative_link, yaml_string

# Every marker, for what a list page shows (sitemap dates) and whether a page is a list (search).
MARKER = re.compile(r"<!--\s*(latest-posts|guides|tag-list|tag-index|tag-entries)\s*-->")
# The markers that become HTML: as the comments Markdown leaves them in a page's HTML.
HTML_MARKER = re.compile(r"<!--\s*(latest-posts|guides|tag-list|tag-entries)\s*-->")
CARD = "partials/post-card.html"
VIEW_LEVEL = 2  # a card's heading level on the blog's own list pages (partials/post.html: view_card_level)
CARDS = "partials/post-cards.html"
GUIDES = "partials/guide-cards.html"
TAG_LIST = "partials/tag-list.html"


def add_tag_pages(files: Files, config: MkDocsConfig, model: Model, tags_index: str) -> None:
    for tag in model.vocabulary.values():
        page = File.generated(config, tag.src_uri, content=_tag_page(tag, model.tagged(tag), tags_index))
        page.inclusion = InclusionLevel.NOT_IN_NAV  # reached from the tag index and the chips
        files.append(page)


def expand_markers(markdown: str, here: str, model: Model, latest: int) -> str:
    if "<!--" not in markdown:
        return markdown

    def expand(match: re.Match) -> str:
        if match.group(1) != "tag-index":
            return match.group(0)  # a card list, rendered into the page's HTML (render_lists)
        counts = _counts(model)
        return "\n".join(_tag_line(tag, counts[tag.name], here) for tag in model.vocabulary.values())

    return MARKER.sub(expand, markdown)


def list_cards(page: Page, model: Model, layout: Layout, *, latest: int) -> dict[str, tuple]:
    """What each card list of a page shows, by marker, taken once every post's reading time is
    known (on_env): render_lists draws it, and it is part of the page's own data (PageData.lists),
    so that whatever changes a list changes the page (the preview renders again only pages whose
    data changed)."""
    kinds = set(HTML_MARKER.findall(page.content or ""))
    tag = model.tag_pages.get(page.file.src_uri)
    found: dict[str, tuple] = {}
    if "latest-posts" in kinds:  # pinned posts first, as on the blog index
        found["latest-posts"] = tuple(card(entry, page, model, layout) for entry in model.latest(latest))
    if "tag-entries" in kinds and tag is not None:
        found["tag-entries"] = tuple(card(entry, page, model, layout) for entry in model.tagged(tag))
    if "tag-list" in kinds:
        counts = _counts(model)
        found["tag-list"] = tuple({"name": t.name, "url": t.url, "description": t.description,
                                   "count": counts[t.name]} for t in model.vocabulary.values())
    if "guides" in kinds:  # drawn from the navigation (its order), with what the model holds of each page
        found["guides"] = tuple((entry.file.src_uri, entry.title, entry.description, reviewed(entry))
                                for entry in model.entries if entry.file.src_uri.startswith(layout.guides_dir))
    return found


def render_lists(page: Page, context: dict, env: Environment, model: Model, layout: Layout, *,
                 nav: Navigation) -> None:
    """The card lists of a page's markers, in its HTML; on a tag page, the entries with its tag."""
    if "<!--" not in (page.content or ""):
        return
    lists = data(page).lists  # taken in on_env (list_cards), for every marker the page holds

    def render(match: re.Match) -> str:
        kind = match.group(1)
        if kind == "latest-posts":
            cards, empty = lists[kind], "No posts yet."
        elif kind == "tag-entries" and kind in lists:
            cards, empty = lists[kind], "Nothing carries this tag yet."
        elif kind == "guides":
            guides = guide_cards(page, nav, model, layout)
            return env.get_template(GUIDES).render(context, guides=guides) if guides else "<p>No guides yet.</p>"
        elif kind == "tag-list":
            return env.get_template(TAG_LIST).render(context, tags=list(lists[kind]))
        else:
            return match.group(0)
        return env.get_template(CARDS).render(context, cards=list(cards), level=3) if cards else f"<p>{empty}</p>"

    page.content = HTML_MARKER.sub(render, page.content)


class ListedPost(Excerpt):
    """A post as Material's blog lists it on a view: the view shows the post's card
    (partials/post.html), never its excerpt's HTML, so the excerpt is never converted (Material
    converts the whole post again for every list page that shows it)."""

    def render(self, page: Page, separator: str, *args, **kwargs) -> None:
        self.content, self.more, self.toc = "", None, TableOfContents([])


def listed_by_card(post: Page) -> None:
    """After the blog has made the post's excerpt: it lists the post by its card alone."""
    if type(getattr(post, "excerpt", None)) is Excerpt:
        post.excerpt.__class__ = ListedPost


def place_in_view(page: Page) -> int:
    """Where a page of a paginated blog view is among its view's pages, from 0. By identity:
    list.index would compare the page's title and file with every page before it."""
    return next(i for i, other in enumerate(page.pages) if other is page)


@functools.lru_cache(maxsize=1 << 16)
def _relative_url(url: str, other: str) -> str:
    """MkDocs' get_relative_url, once per pair: a build asks it for every card's link and chips
    on every list page (tens of thousands of pairs at 3000 posts, most of them alike)."""
    return _get_relative_url(url, other)


def view_cards(page: Page, excerpts: list, model: Model, layout: Layout) -> dict[str, Card]:
    """The cards of a blog view's posts (Material's excerpts), by src_uri, for partials/post.html."""
    found = {}
    for excerpt in excerpts:
        entry = model.by_uri.get(excerpt.file.src_uri)
        if entry is not None:
            found[entry.file.src_uri] = card(entry, page, model, layout,
                                             draft=bool(getattr(excerpt.config, "draft", False)))
    return found


def card(entry: Entry, here: Page, model: Model, layout: Layout, *, draft: bool = False) -> Card:
    target = entry.file.page
    label = None
    if not entry.is_post:
        guide = _guide_of(entry, model, layout)
        label = f"Guide: {guide.title}" if guide and guide is not entry else "Guide"
    return Card(
        title=entry.title,
        url=_relative_url(entry.file.url, here.url),
        date=entry.date,
        date_text=human_date(entry.date),
        description=entry.description,
        tags=_chips_at(entry.tags, here, model),
        readtime=getattr(getattr(target, "config", None), "readtime", None) if entry.is_post else None,
        label=label,
        pinned=entry.pinned,
        draft=draft,
    )


def guide_cards(here: Page, nav: Navigation, model: Model, layout: Layout) -> list[dict]:
    """Each guide (a folder of guides_dir with an index.md) with its chapters in the navigation's order."""
    found = []
    for page in nav.pages:
        folder, _, name = page.file.src_uri.removeprefix(layout.guides_dir).rpartition("/")
        if not page.file.src_uri.startswith(layout.guides_dir) or not folder or "/" in folder or name != "index.md":
            continue
        entry = model.by_uri.get(page.file.src_uri)
        chapters = [p for p in nav.pages if p.parent is page.parent and p is not page]
        found.append({
            "title": entry.title if entry else page.title,
            "description": entry.description if entry else "",
            "url": _relative_url(page.file.url, here.url),
            "reviewed": reviewed(entry),
            "chapters": [{"title": model.by_uri[p.file.src_uri].title if p.file.src_uri in model.by_uri else p.title,
                          "url": _relative_url(p.file.url, here.url)} for p in chapters],
        })
    return found


def reviewed(entry: Entry | None) -> dict | None:
    """A guide page's "Last reviewed" date: its `updated`, else its `date`."""
    if entry is None:
        return None
    when = entry.updated or entry.date
    return {"date": when, "date_text": human_date(when)}


def _guide_of(entry: Entry, model: Model, layout: Layout) -> Entry | None:
    """The index page of the guide a guide page belongs to."""
    folder, inside, _ = entry.file.src_uri.removeprefix(layout.guides_dir).partition("/")
    return model.by_uri.get(f"{layout.guides_dir}{folder}/index.md") if inside else None


def _counts(model: Model) -> dict[str, int]:
    return {name: sum(name in e.tags for e in model.entries) for name in model.vocabulary}


def is_listing(markdown: str) -> bool:
    return bool(MARKER.search(markdown))


def chips(names: list, model: Model) -> list[Chip]:
    """Each tag chip links to its tag's page (Material's own listings are off). One chip per tag
    and build, shared by every card that shows it."""
    if "chips" not in model.made:
        model.made["chips"] = {name: Chip(name, tag.url) for name, tag in model.vocabulary.items()}
    made = model.made["chips"]
    return [made[name] for name in names if name in made]


def _chips_at(names, here: Page, model: Model) -> tuple[Chip, ...]:
    """A card's chips, each linking to its tag's page relative to the page that shows the card,
    as the template's `url` filter would (each once per page and build)."""
    made = model.made.setdefault(("chips at", here.url), {})
    for chip in chips([name for name in names if name not in made], model):
        made[chip.name] = Chip(chip.name, _relative_url(chip.url, here.url))
    return tuple(made[name] for name in names if name in made)


class CardMarkup:
    """Each card's HTML (partials/post-card.html) by all it shows and its heading's level: a
    card's links are relative to the page that shows it, so equal cards are equal HTML on any
    page. Under `mkdocs serve` the HTML is kept from build to build, and a card not shown for
    KEEP builds is forgotten: a new post moves one post of every page of a view to the next
    page, at the same depth, and a tag page shows every post with its tag."""

    KEEP = 4

    def __init__(self) -> None:
        self.found: dict[tuple, list] = {}  # (template, level, card, draft label) -> [HTML, build]
        self.drawn: dict[tuple, Markup | None] = {}  # this build's: its HTML when made, None when kept
        self.builds = 0
        self.template = None
        self.version: tuple | None = None

    def start(self, env: Environment) -> None:
        """A build's templates: the HTML of the last builds is kept while the template's file is
        the same."""
        self.builds += 1
        self.template = env.get_template(CARD)
        name = self.template.filename
        self.version = (name, os.stat(name).st_mtime_ns) if name else None
        self.found = {key: item for key, item in self.found.items()
                      if key[0] == self.version and item[1] >= self.builds - self.KEEP}
        self.drawn = {}

    @pass_context
    def __call__(self, context, card: Card, level: int) -> Markup:
        # The draft flag's words are the theme's language (the template shows them).
        label = str(context["lang"].t("blog.draft")) if card.draft else None
        key = (self.version, level, card, label)
        found = self.found.get(key)
        if found is None:
            found = self.found[key] = [Markup(self.template.render(context.get_all(), card=card, level=level)), 0]
            self.drawn[key] = found[0]
        return self._shown(key, found)

    def known(self, card: Card, level: int) -> Markup | None:
        """The card's HTML when this build or one of the last KEEP drew it, without a template's
        context (None: not drawn, or a draft, whose label the context gives). It counts as
        shown in this build."""
        if card.draft:
            return None
        key = (self.version, level, card, None)
        found = self.found.get(key)
        return None if found is None else self._shown(key, found)

    def _shown(self, key: tuple, found: list) -> Markup:
        """A card's HTML, shown in this build: kept KEEP builds more (and, drawn before, told so
        to the process that keeps the memo, through `drawn`)."""
        if found[1] != self.builds:
            self.drawn.setdefault(key, None)
        found[1] = self.builds
        return found[0]

    def keep(self, drawn: dict[tuple, Markup | None]) -> None:
        """What another process drew in this build (its `drawn`), as if drawn here."""
        for key, html in drawn.items():
            if html is not None:
                self.found.setdefault(key, [html, 0])
            if key in self.found:
                self.found[key][1] = self.builds


def _tag_page(tag: Tag, tagged: list[Entry], tags_index: str) -> str:
    title = "#" + tag.name
    lines = [
        "---",
        f"title: {yaml_string(title)}",
        f"description: {yaml_string(tag.description)}",
        "hide:\n  - navigation\n  - toc",
        "---",
        "",
        f"# {markdown_text(title)}",
        "",
        markdown_text(tag.description),
        "",
        f"[Subscribe to {markdown_text(title)} by RSS]({relative_link(tag.src_uri, tag.feed_uri)})"
        "{ .md-button .bp-subscribe }"
        f" or see [all tags]({relative_link(tag.src_uri, tags_index)}).",
        "{ .bp-follow }",
        "",
        f"## {len(tagged)} {'entry' if len(tagged) == 1 else 'entries'}, newest first {{ #entries }}",
        "",
        "<!-- tag-entries -->",
        "",
    ]
    return "\n".join(lines)


def _tag_line(tag: Tag, count: int, here: str) -> str:
    return (
        f"- [#{markdown_text(tag.name)}]({relative_link(here, tag.src_uri)})"
        f" ({count} {'entry' if count == 1 else 'entries'}): {markdown_text(tag.description)}"
        f" [RSS feed]({relative_link(here, tag.feed_uri)})"
    )
