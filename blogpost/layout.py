"""Where each kind of content lives under docs/, derived once per build from the blog plugin's own
settings and the site plugin's options, so that no module restates a folder name."""

from __future__ import annotations

from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig

VOCABULARY = ".tags.yml"
EXCERPT_MARKER = "<!-- more -->"


@dataclass(frozen=True)
class Layout:
    posts_dir: str = "blog/posts/"
    guides_dir: str = "guides/"
    tags_dir: str = "tags/"
    authors_file: str = "blog/.authors.yml"
    blog_index: str = "blog/index.md"  # the blog's own page: Material cannot build without it

    @classmethod
    def of(cls, config: MkDocsConfig, *, guides_dir: str, tags_dir: str) -> Layout:
        """The layout of a configured site: posts and authors where Material's blog plugin reads them."""
        blog = config.plugins.get("material/blog")
        if blog is None:
            return cls(guides_dir=_folder(guides_dir), tags_dir=_folder(tags_dir))
        options = blog.config
        blog_dir = options.blog_dir.strip("/")
        posts = options.post_dir.format(blog=blog_dir)
        authors = options.authors_file.format(blog=blog_dir)
        return cls(_folder(posts), _folder(guides_dir), _folder(tags_dir), authors.strip("/"),
                   f"{blog_dir}/index.md" if blog_dir else "index.md")

    def kind_of(self, src_uri: str) -> str | None:
        """'post', 'guide', or None for a page the front-matter schema does not cover."""
        if src_uri.startswith(self.posts_dir):
            return "post"
        if src_uri.startswith(self.guides_dir):
            return "guide"
        return None


def _folder(path: str) -> str:
    return path.strip("/") + "/"
