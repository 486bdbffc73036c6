"""Lists of posts and guides: one generated page per tag (on_files), the markers
<!-- latest-posts -->, <!-- tag-list --> and <!-- tag-index --> in authored
pages (on_page_markdown), and the targets of the tag chips on a page (on_page_context)."""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from entries import (
    Entry, Tag, entries, human_date, load_vocabulary, markdown_text, relative_link,
    yaml_string,
)

MARKER = re.compile(r"<!--\s*(latest-posts|tag-list|tag-index)\s*-->")


@event_priority(-100)  # after the blog plugin has decided which posts are published
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    vocabulary = load_vocabulary(config.docs_dir)
    published = entries(files, config)
    for tag in vocabulary.values():
        tagged = [entry for entry in published if tag.name in entry.tags]
        page = File.generated(config, tag.src_uri, content=_tag_page(tag, tagged))
        page.inclusion = InclusionLevel.NOT_IN_NAV  # reached from the tag index and the chips
        files.append(page)
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "<!--" not in markdown:
        return markdown
    vocabulary = load_vocabulary(config.docs_dir)
    published = entries(files, config)
    here = page.file.src_uri

    def expand(match: re.Match) -> str:
        kind = match.group(1)
        if kind == "latest-posts":
            posts = [e for e in published if e.is_post][: config.extra.get("latest_posts", 5)]
            return _entry_list(posts, here, vocabulary) or "No posts yet."
        counts = {name: sum(name in e.tags for e in published) for name in vocabulary}
        return "\n".join(
            _tag_line(tag, counts[tag.name], here, with_feed=kind == "tag-index")
            for tag in vocabulary.values()
        )

    return MARKER.sub(expand, markdown)


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    """Each tag chip links to its tag's page (Material's own listings are off)."""
    names = page.meta.get("tags") or []
    if names:
        vocabulary = load_vocabulary(config.docs_dir)
        context["tags"] = [
            {"name": name, "url": vocabulary[name].src_uri.removesuffix(".md") + "/"}
            for name in names
            if name in vocabulary
        ]
    return context


def _tag_page(tag: Tag, tagged: list[Entry]) -> str:
    title = "#" + tag.name
    lines = [
        "---",
        f"title: {yaml_string(title)}",
        f"description: {yaml_string(tag.description)}",
        f"feed: {tag.feed_uri}",
        "hide:\n  - navigation\n  - toc",
        "---",
        "",
        f"# {markdown_text(title)}",
        "",
        markdown_text(tag.description),
        "",
        f"[Follow {markdown_text(title)} by RSS]({relative_link(tag.src_uri, tag.feed_uri)})"
        f" · [All tags]({relative_link(tag.src_uri, 'tags/index.md')})",
        "",
        f"## {len(tagged)} {'entry' if len(tagged) == 1 else 'entries'}, newest first {{ #entries }}",
        "",
        _entry_list(tagged, tag.src_uri, None) or "Nothing carries this tag yet.",
        "",
    ]
    return "\n".join(lines)


def _entry_list(items: list[Entry], here: str, vocabulary: dict[str, Tag] | None) -> str:
    lines = []
    for entry in items:
        kind = "Post" if entry.is_post else "Guide"
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

