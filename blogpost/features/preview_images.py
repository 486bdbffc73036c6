"""Link-preview images: a 1200x630 PNG for each entry showing its title, tags and the site's name,
drawn with Pillow in a font from a pinned package, and cached by a hash of what it shows."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import tempfile
from importlib import resources
from pathlib import Path

import PIL
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from PIL import Image, ImageDraw, ImageFont

from blogpost.model import Entry
from blogpost.text import absolute_url

VERSION = 1  # of the drawing: bump it when the drawing changes, and every preview is drawn anew
WIDTH, HEIGHT = 1200, 630
FOLDER = "assets/previews/"
# Source Sans Pro (SIL Open Font License 1.1), from the pinned font-source-sans-pro package.
FONT_PACKAGE, BOLD, SEMIBOLD = "font_source_sans_pro", "SourceSansPro-Bold.ttf", "SourceSansPro-Semibold.ttf"

# Material's indigo, as on the site: white on indigo 700 (contrast 9:1) for the title, indigo 50
# on indigo 900 (11:1) for the tags, and on indigo 800 (8.7:1) for the site's name.
RANGES = (((48, 63, 159), (255, 255, 255)), ((26, 35, 126), (232, 234, 246)), ((40, 53, 147), (232, 234, 246)))
# The picture is drawn in greyscale, each value an index into a palette of these three ranges, a
# ground shading into the ink written on it. Anti-aliasing blends an ink's value with its
# ground's, so every edge stays within its range; `putpalette` then makes the values colours.
# One byte a pixel: the PNG encodes several times faster than RGB, at under half the size.
STEPS = 32  # values per range: 32 shades of anti-aliasing look as smooth as 256, and compress better
PALETTE = [round(ground[k] + (ink[k] - ground[k]) * step / (STEPS - 1))
           for ground, ink in RANGES for step in range(STEPS) for k in range(3)]
(BACKGROUND, TITLE), (CHIP, TAG), (BAND, NAME) = ((n * STEPS, n * STEPS + STEPS - 1) for n in range(3))

MARGIN = 80
TITLE_TOP, TITLE_BOTTOM, BAND_TOP = 170, 500, 530  # the title's box: the tags above it, the band below
TITLE_SIZES = range(88, 47, -4)  # the title takes the largest that fits, in pixels
MAX_LINES, LEADING = 4, 1.14
MAX_CHARS = 400  # more than 4 lines hold at the smallest size, even of the narrowest letters


class Typeface:
    """The fonts' bytes and their hash, and each size asked for: loaded once per build."""

    def __init__(self) -> None:
        folder = resources.files(FONT_PACKAGE) / "files"
        self.files = {name: (folder / name).read_bytes() for name in (BOLD, SEMIBOLD)}
        self.digest = hashlib.sha256(self.files[BOLD] + self.files[SEMIBOLD]).hexdigest()
        self.sizes: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def font(self, name: str, size: int) -> ImageFont.FreeTypeFont:
        if (name, size) not in self.sizes:
            # Pillow's basic layout: FreeType alone, as pip installs it. (Raqm would use the
            # system's FriBiDi where there is one, and so could draw differently elsewhere.)
            self.sizes[name, size] = ImageFont.truetype(io.BytesIO(self.files[name]), size,
                                                        layout_engine=ImageFont.Layout.BASIC)
        return self.sizes[name, size]


def draw(title: str, tags: tuple[str, ...] | list[str], site_name: str, typeface: Typeface | None = None) -> bytes:
    """The preview as PNG bytes; the same inputs give the same bytes (no time, no text chunk)."""
    face = typeface or Typeface()
    image = Image.new("L", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(image)
    x, font = MARGIN, face.font(SEMIBOLD, 30)
    for label in (f"#{name}" for name in tags):  # as many #Tag chips as fit on one line
        width = round(font.getlength(label)) + 40
        if x + width > WIDTH - MARGIN:
            break
        pen.rounded_rectangle((x, 80, x + width, 130), radius=25, fill=CHIP)
        pen.text((x + 20, 105), label, font=font, fill=TAG, anchor="lm")
        x += width + 14
    font, lines = _fit(" ".join(title[:MAX_CHARS].split()), face)
    step = round(font.size * LEADING)
    top = TITLE_TOP + (TITLE_BOTTOM - TITLE_TOP - step * len(lines)) // 2
    for n, line in enumerate(lines):
        pen.text((MARGIN, top + n * step), line, font=font, fill=TITLE, anchor="la")
    pen.rectangle((0, BAND_TOP, WIDTH, HEIGHT), fill=BAND)
    # The site's mark, as on the site-wide card (a page with three lines), then its name.
    y = BAND_TOP + 26
    pen.rounded_rectangle((MARGIN, y, MARGIN + 36, y + 48), radius=5, outline=NAME, width=4)
    for n, length in enumerate((20, 20, 12)):
        pen.line((MARGIN + 9, y + 14 + 10 * n, MARGIN + 9 + length, y + 14 + 10 * n), fill=NAME, width=4)
    pen.text((MARGIN + 56, BAND_TOP + 50), site_name, font=face.font(BOLD, 36), fill=NAME, anchor="lm")
    image.putpalette(PALETTE)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _fit(title: str, face: Typeface) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the title fits its box in at most MAX_LINES lines, wrapped to even
    lengths (the narrowest width that keeps the count: no word left alone on a last line); at the
    smallest size, what does not fit ends in an ellipsis."""
    width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        font = face.font(BOLD, size)
        count = len(_wrap(title, font, width))
        if count <= min(MAX_LINES, (TITLE_BOTTOM - TITLE_TOP) // round(size * LEADING)):
            low, high = width // count, width
            while low < high:
                middle = (low + high) // 2
                low, high = (low, middle) if len(_wrap(title, font, middle)) <= count else (middle + 1, high)
            return font, _wrap(title, font, high)
    lines = _wrap(title, font, width)
    last = lines[MAX_LINES - 1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1].rstrip()
    return font, lines[:MAX_LINES - 1] + [last + "…"]


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy lines of whole words (a dash or a lone sign stays with the word before it); a word
    wider than a line, such as a long address, is cut where it must be."""
    words: list[str] = []
    for word in text.split(" "):
        if words and not any(char.isalnum() for char in word):
            words[-1] += f" {word}"
        else:
            words.append(word)
    lines: list[str] = []
    line = ""
    for word in words:
        while font.getlength(word) > width:
            low, cut = 1, len(word) - 1  # the longest start of the word that fits
            while low < cut:
                middle = (low + cut + 1) // 2
                low, cut = (middle, cut) if font.getlength(word[:middle]) <= width else (low, middle - 1)
            lines += [line, word[:cut]] if line else [word[:cut]]
            line, word = "", word[cut:]
        candidate = f"{line} {word}" if line else word
        if line and font.getlength(candidate) > width:
            lines.append(line)
            candidate = word
        line = candidate
    return lines + [line] if line else lines


@functools.lru_cache(maxsize=1 << 16)  # a rebuild of `mkdocs serve` asks again for every post
def _key(typeface: str, title: str, tags: tuple[str, ...], site_name: str) -> str:
    shown = [VERSION, PIL.__version__, typeface, title, list(tags), site_name]
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()


class Previews:
    """One build's previews: each drawn once, or copied from the cache folder when it holds it."""

    def __init__(self, cache: Path | None, site_name: str) -> None:
        self.cache = cache  # None: every preview drawn, none kept
        self.site_name = site_name
        self.typeface = Typeface()
        self.drawn = 0  # cache misses in this build
        self.reused = 0

    def key(self, title: str, tags: tuple[str, ...]) -> str:
        """A hash of everything the picture depends on."""
        return _key(self.typeface.digest, title, tuple(tags), self.site_name)

    def picture(self, title: str, tags: tuple[str, ...]) -> tuple[str, Path | bytes]:
        """(its key, the PNG): the cache's file, drawn into the cache first if it is not there;
        the PNG's bytes when there is no cache to keep it in."""
        key = self.key(title, tags)
        path = self.cache / f"{key}.png" if self.cache else None
        if path and path.is_file():
            self.reused += 1
            return key, path
        self.drawn += 1
        png = draw(title, tags, self.site_name, self.typeface)
        return key, path if path and _store(path, png) else png

    def add(self, files: Files, config: MkDocsConfig, entries: list[Entry]) -> dict[str, dict]:
        """Add each entry's preview to the build; returns each entry's image by its src_uri."""
        images = {}
        # The files before any preview (two previews never share an address: two pages never do).
        taken = set(files.src_uris)
        for entry in entries:
            key, png = self.picture(entry.title, entry.tags)
            # Named by the page's address and by what it shows: when a title changes, the new
            # picture has a new address, which social networks fetch instead of their old copy.
            uri = f"{FOLDER}{entry.file.url.strip('/').removesuffix('.html') or 'index'}.{key[:12]}.png"
            if uri in taken:
                raise PluginError(f"blogpost: docs/{uri}: a file where a link preview goes "
                                  f"(remove docs/{FOLDER}: the previews are generated)")
            if isinstance(png, Path):
                files.append(File.generated(config, uri, abs_src_path=str(png)))
            else:
                files.append(File.generated(config, uri, content=png))
            images[entry.file.src_uri] = {"url": absolute_url(config, uri), "width": WIDTH,
                                          "height": HEIGHT, "alt": entry.title}
        return images


def cache_folder(config: MkDocsConfig, written: str, root: Path, *, site_dir: str | None = None) -> Path | None:
    """The option's folder, relative to mkdocs.yml's; None if it is empty. Never inside docs/
    (it would be published) or the site folder (a clean build empties it; `site_dir`: the one
    the build publishes to, when it writes into another first)."""
    if not written.strip():
        return None
    folder = (root / written).resolve()
    for option in ("docs_dir", "site_dir"):
        inside = Path(site_dir if option == "site_dir" and site_dir else config[option]).resolve()
        if folder == inside or inside in folder.parents:
            raise PluginError(f"blogpost: previews_cache: {written} is inside {option} "
                              "(name a folder outside it, such as .cache/previews)")
    return folder


def _store(path: Path, png: bytes) -> bool:
    """Write a cache file whole (a build reading it meanwhile sees all of it or none); False if
    the folder cannot be written, and the build goes on without the cache."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(png)
        os.replace(temporary, path)
        return True
    except OSError:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        return False
