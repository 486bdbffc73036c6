"""The site plugin's options, set under `plugins: blogpost:` in mkdocs.yml; each is validated,
and a wrong value fails the build naming the option."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class _Count(c.Type):
    """A whole number, 1 or more."""

    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        value = super().run_validation(value)
        if isinstance(value, bool) or value < 1:
            raise c.ValidationError(f"expected a whole number of 1 or more, got {value!r}")
        return value


class _TimeZone(c.Type):
    """An IANA timezone name, such as UTC or Europe/Paris."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value)
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise c.ValidationError(f"{value!r} is not a timezone name (write one such as UTC or Europe/Paris)")
        return value


class SiteConfig(Config):
    # The site's one timezone: dates without a time are midnight here, and a page dated in
    # the future (here) is not published until that moment.
    timezone = _TimeZone("UTC")
    # How many posts the home page's <!-- latest-posts --> lists.
    latest_posts = _Count(5)
    # How many related posts a post shows at its end.
    related_posts = _Count(3)
    # How many of the newest items each feed carries; readers keep older ones.
    feed_items = _Count(20)
    # Where the guides live in docs/ (their pages follow the front-matter schema, as posts do).
    guides_dir = c.Type(str, default="guides")
    # Where the generated tag pages and tag feeds go, and where the tag index page lives.
    tags_dir = c.Type(str, default="tags")
    # The picture link previews show for pages other than posts and guide pages (a PNG in
    # docs/), and its text alternative. Posts and guide pages get one of their own.
    social_image = c.Type(str, default="assets/images/social-card.png")
    social_image_alt = c.Type(str, default="")
    # Where the previews of posts and guide pages are kept between builds (and `mkdocs serve`
    # rebuilds), relative to mkdocs.yml's folder; outside docs/ and site/, and git-ignored.
    # Empty: no cache, every preview drawn in every build.
    previews_cache = c.Type(str, default=".cache/previews")
