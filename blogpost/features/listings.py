"""Lists of posts and guides: one generated page per tag, the markers <!-- latest-posts -->,
<!-- tag-list --> and <!-- tag-index --> in authored pages, and the tag chips of a page."""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from blogpost.model import Entry, Model, Tag
from blogpost.page_data import Chip
from blogpost.text import human_date, markdown_text, relative_link, yaml_string

MARKER = re.compile(r"<!--\s*(latest-posts|tag-list|tag-index)\s*-->")


def add_tag_pages(files: Files, config: MkDocsConfig, model: Model, tags_index: str) -> None:
    for tag in model.vocabulary.values():
        page = File.generated(config, tag.src_uri, content=_tag_page(tag, model.tagged(tag), tags_index))
        page.inclusion = InclusionLevel.NOT_IN_NAV  # reached from the tag index and the chips
        files.append(page)


def expand_markers(markdown: str, here: str, model: Model, latest: int) -> str:
    if "<!--" not in markdown:
        return markdown

    def expand(match: re.Match) -> str:
        kind = match.group(1)
        if kind == "latest-posts":  # pinned posts first, as on the blog index
            items = model.latest(latest)
            return _entry_list(items, here, model.vocabulary, mark_pins=True) or "No posts yet."
        counts = {name: sum(name in e.tags for e in model.entries) for name in model.vocabulary}
        return "\n".join(
            _tag_line(tag, counts[tag.name], here, with_feed=kind == "tag-index")
            for tag in model.vocabulary.values()
        )

    return MARKER.sub(expand, markdown)


def is_listing(markdown: str) -> bool:
    return bool(MARKER.search(markdown))


def chips(names: list, model: Model) -> list[Chip]:
    """Each tag chip links to its tag's page (Material's own listings are off)."""
    return [Chip(name, model.vocabulary[name].url) for name in names if name in model.vocabulary]


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
        f"[Follow {markdown_text(title)} by RSS]({relative_link(tag.src_uri, tag.feed_uri)})"
        f" · [All tags]({relative_link(tag.src_uri, tags_index)})",
        "",
        f"## {len(tagged)} {'entry' if len(tagged) == 1 else 'entries'}, newest first {{ #entries }}",
        "",
        _entry_list(tagged, tag.src_uri, None) or "Nothing carries this tag yet.",
        "",
    ]
    return "\n".join(lines)


def _entry_list(items: list[Entry], here: str, vocabulary: dict[str, Tag] | None, *,
                mark_pins: bool = False) -> str:
    lines = []
    for entry in items:
        kind = "Post" if entry.is_post else "Guide"
        if mark_pins and entry.pinned:
            kind = "Pinned post"
        link = relative_link(here, entry.file.src_uri)
        lines.append(f"- [{markdown_text(entry.title)}]({link})  ")
        meta = f"{kind} · {human_date(entry.date)}"
        if vocabulary:
            chips = " ".join(
                f"[#{markdown_text(name)}]({relative_link(here, vocabulary[name].src_uri)})"
                for name in entry.tags
                if name in vocabulary
            )
            meta += f" · {chips}"
        lines.append(f"  {meta}  ")
        if entry.description:
            lines.append(f"  {markdown_text(entry.description)}")
    return "\n".join(lines)


def _tag_line(tag: Tag, count: int, here: str, *, with_feed: bool) -> str:
    line = (
        f"- [#{markdown_text(tag.name)}]({relative_link(here, tag.src_uri)})"
        f" ({count} {'entry' if count == 1 else 'entries'}): {markdown_text(tag.description)}"
    )
    if with_feed:
        line += f" [RSS feed]({relative_link(here, tag.feed_uri)})"
    return line
