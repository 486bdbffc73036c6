"""The site plugin (`blogpost` in mkdocs.yml): the MkDocs events, each calling the stages of
content/, model.py, features/ and output/ in the order they are written here.

Priorities are used only to run before or after Material's own plugins. Material's blog
plugin runs its on_files, on_nav and on_page_markdown at -50 and its on_page_context at -100;
its tags plugin runs on_page_markdown at -50 and on_env at 100. So:
FIRST (100)  before either reads a page (the gate removes bad and unpublished pages);
EARLY (50)   before the blog writes a post's title into its excerpt's Markdown;
LAST (-100)  after the blog has resolved its posts (their URLs, authors, reading time).
Every other handler runs at MkDocs' default (0): after a Material handler at 0 (this plugin
is listed after them in mkdocs.yml), before one at a negative priority.
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from blogpost.config import SiteConfig
from blogpost.content import gate, links, plain_text, publication, rendered
from blogpost.content.files import check_files
from blogpost.content.vocabularies import check_vocabularies
from blogpost.content.gate import Held, check_pages, named, project_root
from blogpost.content.problems import Problem, report
from blogpost.features import (feeds, guide_page, listings, metadata, post_page, preview_images, redirects,
                               sections, sitemap)
from blogpost.features.related import by_tags, related
from blogpost.layout import Layout
from blogpost.model import Model, load_vocabulary, read_entries
from blogpost.content.allowlist import body_of
from blogpost.output import atomic, csp, markup, preview, search_index
from blogpost.page_data import KEY, PageData, data, fresh
from blogpost.text import absolute_url

FIRST, EARLY, LAST = 100, 50, -100

log = get_plugin_logger(__name__)


class SitePlugin(BasePlugin[SiteConfig]):
    serving = False  # under `mkdocs serve`: drafts are shown, marked
    indexer = None  # under `mkdocs serve`: the search index is made in the background
    preview_policy = True  # the preview's reload script can be allowed by hash (output/preview.py)
    atomic = False  # `mkdocs build` (not --dirty): site_dir is replaced only by a build that succeeded
    output: atomic.Output | None = None
    cards: listings.CardMarkup | None = None  # each card's HTML, by what it shows

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.atomic = command in ("build", "gh-deploy") and not dirty
        self.indexer = search_index.Background() if self.serving else None
        # Under `serve`, what _inspect found in each page's HTML, kept from one rebuild to the next.
        self.inspected: dict[tuple, tuple] = {}
        self.ends: dict[tuple, str] = {}  # each post's end, by what it shows (post_page.end_facts)
        if self.serving and not preview.supported():
            self.preview_policy = False
            log.warning("Preview without Content-Security-Policy or error pages: MkDocs' reload script "
                        f"injection ({preview.PRIVATE}) changed; the published site keeps its policy")

    def on_shutdown(self) -> None:
        # `mkdocs serve` removes its site folder next: not while the search index is written into it.
        if self.indexer is not None and self.indexer.last is not None:
            self.indexer.last.join(timeout=60)

    def on_serve(self, server, /, *, config: MkDocsConfig, builder):
        if self.preview_policy:
            preview.take_over(server, site_name=config.site_name)
        return server

    # Before Material's blog reads .authors.yml (in its on_config, with a loader that follows
    # aliases) and before MkDocs walks docs/: both follow symlinks.
    # Where the site's content lives is per-build state too, set here first.
    @event_priority(FIRST)
    def _check_files(self, config: MkDocsConfig, /) -> MkDocsConfig:
        self.output = None
        self.layout = Layout.of(config, guides_dir=self.config.guides_dir, tags_dir=self.config.tags_dir)
        self.root = project_root(config)
        problems = check_files(config.docs_dir, self.root)
        if not problems:  # (a symlinked vocabulary is never read)
            problems = check_vocabularies(config.docs_dir, self.root, self.layout.authors_file)
        if problems:
            raise report(problems, "the files of docs/")
        self.site_dir = config.site_dir
        if self.atomic:  # everything from here on writes into a new folder (output/atomic.py)
            self.output = atomic.Output(config.site_dir)
            config.site_dir = self.output.site_dir
        return config

    def _configure(self, config: MkDocsConfig, /) -> MkDocsConfig:
        # Per-build state: new for every build and every `mkdocs serve` rebuild.
        self.tz = ZoneInfo(self.config.timezone)
        self.vocabulary: dict = {}
        self.held = Held()
        self.model: Model | None = None
        self.groups: dict = {}
        self.previews: preview_images.Previews | None = None
        self.preview_images: dict[str, dict] = {}  # each entry's own preview, by src_uri
        self.problems: list[Problem] = []  # every problem of the build, reported at once at its end
        self.source_lines: set[tuple[str, int]] = set()
        self.unsafe: set[str] = set()  # pages whose HTML is outside the allow-list: never written
        self.seen: dict[str, links.Seen] = {}  # each page's ids, links and images, by src_uri
        # A rebuild of the preview reuses the last one's findings for HTML that has not changed.
        self.inspected_before, self.inspected = (self.inspected if self.serving else {}), {}
        self.links: links.Build | None = None
        self.feed_texts: dict[str, str | None] | None = None  # each feed item's text, by src_uri
        self.faces: dict[str, tuple] = {}  # the preview's quick rebuild: see revise()
        self.env: Environment | None = None
        self.csp = ""
        if self.indexer:
            self.indexer.building()
        plain_text.escape_authors(config)
        csp.fixed_scope(config)
        return config

    on_config = CombinedEvent(_check_files, _configure)

    # Files -----------------------------------------------------------------------------

    @event_priority(FIRST)
    def _check(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.vocabulary = load_vocabulary(config.docs_dir, self.layout)
        self.held = check_pages(files, config, layout=self.layout, tags=list(self.vocabulary),
                                tz=self.tz, serving=self.serving)
        self.problems += self.held.problems
        self.unsafe |= self.held.unsafe
        # A page is rendered and checked once more as HTML; what its source showed already is not
        # reported again, in other words, at the same line.
        self.source_lines = {(problem.path, problem.line) for problem in self.held.problems}
        return files

    @event_priority(LAST)
    def _generate(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.model = Model(self.vocabulary, read_entries(files, self.layout, self.tz))
        self.groups = by_tags(self.model.posts)
        self.image = self._image(config)
        cache = preview_images.cache_folder(config, self.config.previews_cache, self.root, site_dir=self.site_dir)
        self.previews = preview_images.Previews(cache, config.site_name)
        self.preview_images = self.previews.add(files, config, self.model.entries)
        log.debug(f"link previews: {self.previews.drawn} drawn, {self.previews.reused} from {cache}")
        listings.add_tag_pages(files, config, self.model, tags_index=f"{self.layout.tags_dir}index.md")
        feeds.add_feeds(files, config, self.model)
        metadata.add_robots(files, config)
        self.problems += redirects.add_redirects(files, config, self.layout)
        post_page.date_updates(config, self.tz)
        return files

    on_files = CombinedEvent(_check, _generate)

    # Pages -----------------------------------------------------------------------------

    @event_priority(EARLY)
    def _escape(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        fresh(page)
        plain_text.escape_fields(page)
        if self.layout.kind_of(page.file.src_uri) == "post":
            markdown = plain_text.titled(markdown, page)
        return markdown

    def _expand(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # In the preview, the blog index and archive mark unpublished posts too.
        if page.file.src_uri in self.held.pages and hasattr(page, "config"):
            page.config.draft = True
        tag = self.model.tag_pages.get(page.file.src_uri)
        if tag:
            data(page).feed = tag.feed_uri
            data(page).atom_feed = tag.atom_uri
        data(page).lastmod = sitemap.lastmod(page, markdown, self.model, self.tz, config, tag=tag,
                                             latest=self.config.latest_posts)
        return listings.expand_markers(markdown, page.file.src_uri, self.model, self.config.latest_posts)

    on_page_markdown = CombinedEvent(_escape, _expand)

    def _inspect(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        excerpt = self.layout.kind_of(page.file.src_uri) == "post"
        key = (page.file.src_uri, excerpt, html)
        found = self.inspected_before.get(key)
        if found is None:
            body = body_of(html) if html.strip() else None
            found = (rendered.problems(html, page, self.root, excerpt=excerpt, body=body), links.seen(body))
        if self.serving and not found[0]:  # problems name source lines, which may have moved
            self.inspected[key] = found
        unsafe, self.seen[page.file.src_uri] = found
        if unsafe:
            self.problems += self._new(unsafe)
            self.unsafe.add(page.file.src_uri)
        if page.file.src_uri in self.held.pages:
            html = publication.marked(html, *self.held.pages[page.file.src_uri])
        return html

    @event_priority(LAST)
    def _describe(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        found = data(page)
        tag = self.model.tag_pages.get(page.file.src_uri)
        image = self.preview_images.get(page.file.src_uri, self.image)
        metadata.describe(page, found, config, self.model, tag=tag, image=image)
        if page.file.src_uri not in self.model.by_uri:  # "Edit this page" only on posts and guide pages
            page.edit_url = None
        self._link_post(page, found)
        return html

    def _link_post(self, page: Page, found: PageData) -> None:
        """A post's related posts and older/newer links: what the other posts decide."""
        entry = self.model.by_uri.get(page.file.src_uri)
        if entry is not None and entry.is_post:
            found.post = post_page.links(page, self.model, related(entry, self.groups, self.config.related_posts))

    def _by_card(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # The blog made the post's excerpt in its on_page_markdown; its lists show the card.
        listings.listed_by_card(page)
        return html

    on_page_content = CombinedEvent(_inspect, _describe, _by_card)

    # The incremental preview (speed/kept.py) keeps a page whose events would make what they
    # made in the last good build, without running them: what they found outside the page is
    # handed back here, and the excerpt the blog made again is listed by its card.
    def page_findings(self, page: Page):
        return self.seen.get(page.file.src_uri)

    def kept_page(self, page: Page, findings) -> None:
        if findings is not None:
            self.seen[page.file.src_uri] = findings
        listings.listed_by_card(page)
        self._link_post(page, data(page))

    # The preview's quick rebuild (speed/quick.py): a save changed only the Markdown body of
    # some pages, after front matter the same as in the last good build, and nothing else. Their
    # events run again on the last build's objects; these check them as the build would, and
    # say why a whole build is needed instead (None: the rest of the site stays as it is).
    def revise(self, pages: list[Page], /, *, config: MkDocsConfig, files: Files,
               sources: dict[str, bytes]) -> str | None:
        """Before the pages' events run again; `sources`: each page's source as read, by src_uri."""
        if not self.serving or self.model is None or self.links is None or self.problems or self.unsafe:
            return "the last build is not a good one"
        if gate.due(self.held, self.tz):
            return "a scheduled page is due"
        self.faces = {}
        for page in pages:
            src = page.file.src_uri
            if src in self.held.pages or src in self.held.left_out or src in self.held.withheld:
                return f"{src} is held back"
            if gate.recheck(page.file, sources[src], config, layout=self.layout, tags=list(self.vocabulary),
                            tz=self.tz):
                return f"{src} has problems"
            self.faces[src] = self._face(page)
        return None

    def made_again(self, post: Page) -> None:
        """After Material's post was made again from its new text: what _generate set on it."""
        post_page.date_update(post, self.tz)

    def revised(self, pages: list[Page], /, *, config: MkDocsConfig, files: Files) -> str | None:
        """After the pages' events ran again, before they are written: their links checked, the
        feeds that carry them written again."""
        if self.problems or self.unsafe:
            return "a page has problems"
        moved = False
        for page in pages:
            before, now = self.faces[page.file.src_uri], self._face(page)
            if before[:-1] != now[:-1]:
                return f"{page.file.src_uri}: what other pages show of it changed"
            moved = moved or before[-1] != now[-1]
        # Links into a page whose ids changed are checked again too.
        self._check_links(files, self.seen if moved else
                          {src: self.seen[src] for page in pages if (src := page.file.src_uri) in self.seen})
        if self.problems:
            return "a link, image or anchor leads nowhere"
        if self.feed_texts is not None:
            changed = {page.file.src_uri for page in pages}
            for file in feeds.refill(files, config, self.model, items=self.config.feed_items,
                                     contents=self.feed_texts, changed=changed):
                file.copy_file()
        return None

    def republish(self, *, config: MkDocsConfig) -> None:
        """After the quick rebuild wrote the pages: the search index, and the build's last line."""
        if self.indexer:
            self.indexer.building()
            self.indexer.request(config)
        log.info(publication.summary(self.model, self.held, serving=self.serving))

    def _check_links(self, files: Files, seen: dict[str, links.Seen]) -> None:
        """The links, images and anchors of these pages (what their HTML holds, by src_uri)."""
        by_uri = files.src_uris
        for src_uri, found in seen.items():
            file = by_uri.get(src_uri)
            if file is not None:
                self.problems += links.problems(file, found, self.links, path=self._path(file))

    def _face(self, page: Page) -> tuple:
        """What other pages (lists, cards, the navigation, the sitemap) and the link check show
        of a page besides its front matter: its title, reading time and sitemap date, and last
        its ids."""
        seen = self.seen.get(page.file.src_uri)
        return (page.title, getattr(getattr(page, "config", None), "readtime", None), data(page).lastmod,
                seen.id_set if seen is not None else None)

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        # Every page has been rendered to HTML by now, and none has been written yet: each one's
        # links, images and anchors lead somewhere (MkDocs' own checks of them are off).
        self.links = links.Build(files, self.seen, left_out=self.held.left_out if not self.serving else {},
                                 withheld=self.held.withheld)
        self._check_links(files, self.seen)
        # MkDocs writes generated files (the feeds) after on_env, before the pages: the feeds
        # carry each page's HTML as rendered, before _surround adds the byline and links. Not
        # when a page's HTML is outside the allow-list: the build fails, and the preview, which
        # writes in place, must not carry it.
        if not self.unsafe:
            self.feed_texts = feeds.fill_feeds(files, config, self.model, items=self.config.feed_items)
        # The card lists of home, tag pages and the guides index: every post's reading time is
        # known by now; drawn into the page in _surround.
        for file in files.documentation_pages():
            if file.page is not None and "<!--" in (file.page.content or ""):
                data(file.page).lists = listings.list_cards(file.page, self.model, self.layout,
                                                            latest=self.config.latest_posts)
        # Each post's end (related posts, older and newer), part of what the page holds: the
        # preview can tell a post whose only change is there. The preview keeps the last
        # build's ends, by all they show and the template's file.
        template = env.get_template(post_page.END).filename
        version = (template, os.stat(template).st_mtime_ns) if template else None
        before, self.ends = (self.ends if self.serving else {}), {}
        for file in files.documentation_pages(inclusion=lambda _: True):
            found = file.page.meta.get(KEY) if file.page is not None else None
            if isinstance(found, PageData) and found.post is not None:
                key = (version, post_page.end_facts(file.page, found.post))
                found.end = self.ends[key] = before.get(key) or post_page.end(file.page, found.post, env)
        # The templates draw each card with card_html (partials/post.html, post-cards.html),
        # which keeps each card's HTML from one `mkdocs serve` rebuild to the next.
        if self.cards is None or not self.serving:
            self.cards = listings.CardMarkup()
        self.cards.start(env)
        env.globals["card_html"] = self.cards
        env.globals["view_card_level"] = listings.VIEW_LEVEL  # partials/post.html
        self.env = env
        extra = [preview.reload_hash()] if self.serving and self.preview_policy else []
        self.csp = csp.policy(env, config, extra)
        return env

    def _chips(self, context: dict, /, *, page: Page, config: MkDocsConfig, nav) -> dict:
        data(page).tags = listings.chips(page.meta.get("tags") or [], self.model)
        return context

    # After the blog plugin's own (LAST, listed first): it has chosen a view's posts, and
    # the byline and the titles of other posts are not part of this post's text.
    # Lists of cards need every post's reading time, known once every page is rendered.
    @event_priority(LAST)
    def _surround(self, context: dict, /, *, page: Page, config: MkDocsConfig, nav) -> dict:
        found = data(page)
        if found.post is not None:
            ending = found.end if found.end is not None else post_page.end(page, found.post, self.env)
            post_page.surround(page, found.post, self.env, ending)
        elif self.layout.kind_of(page.file.src_uri) == "guide" and page.file.src_uri in self.model.by_uri:
            guide_page.mark_reviewed(page, self.model.by_uri[page.file.src_uri], self.env)
        sections.confine(page, self.layout, found.post)
        listings.render_lists(page, context, self.env, self.model, self.layout, nav=nav)
        if context.get("posts"):
            found.cards = listings.view_cards(page, context["posts"], self.model, self.layout)
        return context

    on_page_context = CombinedEvent(_chips, _surround)

    def view_card_markup(self, page: Page, posts: list) -> list[str] | None:
        """What partials/post.html draws on a blog view's page for these posts (Material's, in
        the order it shows them, each by its excerpt as Material's blog renders only those):
        each card's HTML, when every one was drawn in this build or a recent one (else None).
        The preview replaces a view's cards in its last output with these (incremental.py)."""
        if self.cards is None or self.model is None:
            return None
        excerpts = [post.excerpt for post in posts if post.excerpt]
        cards = listings.view_cards(page, excerpts, self.model, self.layout)
        drawn = []
        for excerpt in excerpts:
            card = cards.get(excerpt.file.src_uri)
            # post.html draws nothing for a post the model does not hold, but its white space.
            html = None if card is None else self.cards.known(card, listings.VIEW_LEVEL)
            if html is None:
                return None
            drawn.append(html)
        return drawn

    # Output ----------------------------------------------------------------------------

    def _index_marks(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        return search_index.marked(output, page, self.tz, self.layout.tags_dir)

    @event_priority(LAST)  # after every other plugin has changed the page
    def _finish_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if page.file.src_uri in self.unsafe and not self.atomic:
            return ""  # HTML outside the allow-list is never written, not even in the preview
        return self._finish(sections.drawer_from_top(output, page, self.layout))

    on_post_page = CombinedEvent(_index_marks, _finish_page)

    @event_priority(LAST)
    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """404.html is a template of its own, not a page."""
        return self._finish(output_content) if template_name.endswith(".html") else output_content

    @event_priority(FIRST)
    def _report(self, *, config: MkDocsConfig) -> None:
        # The one report: every problem of the build, before anything is published (and before
        # Pagefind spends time on a site that will not be).
        if self.problems:
            raise report(self.problems, "the content")

    def _index(self, *, config: MkDocsConfig) -> None:
        sitemap.repeatable_gzip(config.site_dir)
        if self.indexer:
            self.indexer.request(config)
        else:
            search_index.index(config)

    @event_priority(LAST)
    def _publish(self, *, config: MkDocsConfig) -> None:
        # MkDocs aborts a strict build with warnings only after on_post_build: counted here.
        if self.output is not None:
            if config.strict and self.output.warnings.count:
                self.output.discard()
                return
            self.output.publish()
            config.site_dir = self.site_dir
        log.info(publication.summary(self.model, self.held, serving=self.serving))

    on_post_build = CombinedEvent(_report, _index, _publish)

    def on_build_error(self, *, error: Exception) -> None:
        if self.output is not None:
            self.output.discard()

    def _new(self, problems: list[Problem]) -> list[Problem]:
        return [problem for problem in problems if (problem.path, problem.line) not in self.source_lines]

    def _path(self, file) -> str:
        return named(self.root, file)

    def _finish(self, output: str) -> str:
        if not self.serving or self.preview_policy:
            output = csp.with_policy(output, self.csp)
        return markup.fixed(output)

    def _image(self, config: MkDocsConfig) -> dict:
        uri = self.config.social_image
        try:
            width, height = metadata.png_size(Path(config.docs_dir, uri))
        except (OSError, ValueError) as error:
            raise PluginError(f"blogpost: social_image: {error} (a PNG in docs/, 1200x630)") from None
        return {"url": absolute_url(config, uri), "width": width, "height": height,
                "alt": self.config.social_image_alt or config.site_name}
