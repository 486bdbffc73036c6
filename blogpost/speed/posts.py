"""The preview's posts: Material's blog makes a post once while its source does not change.

Material 9.8.1's blog makes every post anew on every build (BlogPlugin._resolve_post): it reads
the file, parses its front matter, validates the post's settings and works out its address,
about a tenth of a rebuild at 3000 posts. Under `mkdocs serve`, a post whose file reads the same
(the same text, from sources.py) in the same configuration is made as a copy of the one made
before, as Material left it then, with its own copies of all that later stages change (front
matter, settings, authors, categories, table of contents), this build's date, and this build's
File given the address Material gave it. A post whose making logged anything is made anew
every time, so that it logs it again.
"""

from __future__ import annotations

import inspect
import os

from material.plugins.blog.plugin import BlogPlugin
from material.plugins.blog.structure import Post
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages
from mkdocs.structure.files import File
from mkdocs.utils.meta import YAML_RE

from blogpost.speed.compat import Mismatch, Patches
from blogpost.speed.copies import fresh, fresh_config
from blogpost.speed.memo import Memo
from blogpost.speed.render_memo import Logged
from blogpost.speed.sources import Sources

# What a post holds that later stages change in place: each copy gets its own.
CHANGED_LATER = ("meta", "config", "authors", "categories", "toc")


class Posts:
    """Each post as Material made it, by what it is made from, from this build and the one before."""

    def __init__(self) -> None:
        self.made = Memo()
        self.reused = 0
        self.keys: dict[str, tuple] = {}  # each post's source path -> what this build made it from

    def clear(self) -> None:
        self.made.clear()

    def apply(self, patches: Patches, sources: Sources) -> None:
        stock = getattr(BlogPlugin, "_resolve_post", None)
        if not callable(stock) or list(inspect.signature(stock).parameters) != ["self", "file", "config"]:
            raise Mismatch("Material's blog no longer makes posts with _resolve_post(self, file, config)")
        self.made.next_build()
        self.reused = 0
        self.keys = {}
        posts = self

        def resolve_post(plugin: BlogPlugin, file: File, config: MkDocsConfig):
            key = _key(file, config, sources)
            if key is not None:
                posts.keys[file.abs_src_path] = key
            found = None if key is None else posts.made.find(key)
            if found is not None:
                posts.reused += 1
                return _copied(*found, file)
            with Logged() as logged:
                post = stock(plugin, file, config)
            if key is not None and not logged.records and type(post) is Post:
                posts.made.keep(key, (_pristine(post), (file.dest_uri, file.abs_dest_path, file.url)))
            return post

        patches.set(BlogPlugin, "_resolve_post", resolve_post)

    def remake(self, post: Post, before: str, text: str, keep: frozenset) -> bool:
        """For the preview's quick rebuild: the post, made from `before` in the last good build,
        as Material makes it from `text`, whose front matter is the same (only its Markdown
        differs), in place, keeping what it holds by `keep` (the names set after Material made
        it, before the page events: its file, place in the navigation, categories). False when
        the post as made from `before` is not known."""
        key = self.keys.get(post.file.abs_src_path)
        found = self.made.find(key) if key is not None and key[0] == before else None
        head, body = split(before), split(text)
        if found is None or head is None or body is None or head[0] != body[0]:
            return False
        pristine, address = found
        pristine = {**pristine, "markdown": body[1]}
        self.keys[post.file.abs_src_path] = key = (text, *key[1:])
        self.made.keep(key, (pristine, address))  # for the next build, and the next quick one
        kept = {name: item for name, item in vars(post).items() if name in keep}
        post.__dict__.clear()
        post.__dict__.update(pristine)
        for name in CHANGED_LATER:
            if name in pristine:
                post.__dict__[name] = _own_copy(pristine[name])
        post.__dict__.update(kept)
        return True


def split(text: str) -> tuple[str, str] | None:
    """(the front matter, the Markdown after it) as Material's Post reads a post's text (and
    MkDocs a page's); None without front matter."""
    match = YAML_RE.match(text)
    return None if match is None else (match.group(0), text[match.end():].lstrip("\n"))


def _key(file: File, config: MkDocsConfig, sources: Sources) -> tuple | None:
    """What a post is made from: its file's text, where it lies, and the configuration's paths
    and addresses (the rest of the configuration is the preview's inputs: a change clears this)."""
    if not file.abs_src_path or file.generated_by:
        return None
    try:
        text = sources.text(file.abs_src_path, lambda: None)
    except OSError:
        return None
    if text is None:
        return None
    return (text, file.src_uri, file.abs_src_path, file.inclusion.name, config.docs_dir, config.site_dir,
            config.site_url, config.use_directory_urls, config.repo_url, config.edit_uri, os.getcwd())


def _pristine(post: Post) -> dict:
    """The post as Material made it, before any later stage changed it."""
    made = {name: item for name, item in vars(post).items() if name != "file"}
    for name in CHANGED_LATER:
        if name in made:
            made[name] = _own_copy(made[name])
    return made


def _copied(pristine: dict, address: tuple, file: File) -> Post:
    """A post as Material made it, for this build's file."""
    file.dest_uri, file.abs_dest_path, file.url = address
    post = Post.__new__(Post)
    post.__dict__.update(pristine)
    for name in CHANGED_LATER:
        if name in pristine:
            post.__dict__[name] = _own_copy(pristine[name])
    post.file, file.page = file, post
    post.update_date = pages.get_build_date()
    return post


def _own_copy(item):
    return fresh_config(item) if isinstance(item, Config) else fresh(item)
