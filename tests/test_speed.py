"""The speed plugin (blogpost/speed/) changes how fast the site builds, never what it builds;
it steps aside on other versions (or fails, when strict), and leaves nothing patched behind."""

import logging
import subprocess
import sys

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from packaging.utils import canonicalize_name

from blogpost.speed import compat
from blogpost.speed.plugin import SpeedPlugin
from blogpost.speed.post_lookup import PageList
import bench  # scripts/bench.py: the benchmark's corpus generator
from conftest import BUILD_ENV, ROOT

# One fixed build time for every build compared, so nothing that could carry it differs.
# Nothing is set aside in the comparisons.
FIXED_TIME = {"SOURCE_DATE_EPOCH": "1764000000"}


def _build(project, config: str, out, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(out)],
        cwd=project, env={**BUILD_ENV, **FIXED_TIME, **env}, capture_output=True, text=True, timeout=600,
    )


def _tree(root) -> dict[str, bytes]:
    # Pagefind writes its tag filter map in hash-map order, so its filter and metadata chunks
    # (and their hashed names) differ between any two builds: the search index is compared
    # by the pages it holds instead.
    from pagefind_index import pages

    tree = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith("pagefind/")}
    tree["pagefind/ (indexed pages)"] = repr(sorted(pages(root), key=lambda page: page["url"])).encode()
    return tree


@pytest.mark.corpus
def test_site_builds_the_same_with_and_without_the_speed_plugin(site_copy, tmp_path):
    # 150 posts over 13 years: paginated blog index and archive pages at every depth,
    # posts with links to other posts and in-page anchors, some with footnotes.
    bench.write_corpus(site_copy, 150)
    stock = bench.stock_variant(site_copy)
    for config, out in (("mkdocs.yml", "with"), (stock, "without")):
        result = _build(site_copy, config, tmp_path / out, BLOGPOST_SPEED_STRICT="true")
        assert result.returncode == 0, result.stderr[-3000:]
    fast, slow = _tree(tmp_path / "with"), _tree(tmp_path / "without")
    assert len(fast) > 200 and any(path.startswith("blog/archive/") and "/page/" in path for path in fast)
    assert sorted(fast) == sorted(slow)
    differing = [path for path in fast if fast[path] != slow[path]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"


def test_the_plugin_is_on_with_every_patch_for_our_markdown_extensions():
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    speed = config.plugins["blogpost-speed"]
    assert isinstance(speed, SpeedPlugin) and set(speed.config.patches) == set(compat.PRIVATE_NAMES.values())
    assert compat.unchecked_extensions(config) == []


def test_the_pinned_versions_are_the_checked_ones():
    # pip-compile writes "name==version \" with the name normalized (markdown, jinja2), then its hashes.
    pins = dict(line.split()[0].split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    assert {name: pins[canonicalize_name(name)] for name in compat.CHECKED} == compat.CHECKED


def _configured(strict: bool, monkeypatch, version: str | None = None) -> tuple[SpeedPlugin, MkDocsConfig]:
    if version:
        monkeypatch.setitem(compat.CHECKED, "mkdocs-material", version)
    plugin = SpeedPlugin()
    errors, _ = plugin.load_config({"strict": strict})
    assert not errors
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    return plugin, config


def test_another_version_steps_aside_with_one_warning_and_patches_nothing(monkeypatch, caplog):
    plugin, config = _configured(False, monkeypatch, "9.7.0")
    with caplog.at_level(logging.WARNING, logger="blogpost.speed"):
        caplog.handler.setLevel(logging.WARNING)
        logging.getLogger("blogpost.speed").addHandler(caplog.handler)
        try:
            plugin.on_config(config)
        finally:
            logging.getLogger("blogpost.speed").removeHandler(caplog.handler)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "mkdocs-material is 9.8.1, not 9.7.0" in warnings[0], warnings
    assert plugin.on == set() and compat.patched() == []


def test_another_version_fails_a_strict_build_naming_the_version(monkeypatch):
    plugin, config = _configured(True, monkeypatch, "9.7.0")
    with pytest.raises(PluginError, match=r"mkdocs-material is 9\.8\.1, not 9\.7\.0 \(strict: true;"):
        plugin.on_config(config)
    assert compat.patched() == []


def test_internals_changed_mid_build_drop_that_patch_or_fail_when_strict(monkeypatch):
    def changed(*_):
        raise compat.Mismatch("Jinja templates no longer render through root_render_func")

    plugin, _ = _configured(False, monkeypatch)
    plugin.on = {"nav", "excerpts"}
    plugin._guarded("nav", changed)
    assert plugin.on == {"excerpts"}
    strict, _ = _configured(True, monkeypatch)
    strict.on = {"nav"}
    with pytest.raises(PluginError, match=r"blogpost-speed: nav: Jinja templates no longer .*\(strict: true;"):
        strict._guarded("nav", changed)


def test_excerpts_made_with_another_parser_are_a_mismatch(monkeypatch):
    monkeypatch.setitem(compat.STOCK, (compat.blog_structure, "Markdown"), object)
    assert "the blog no longer makes excerpts' parsers with markdown.Markdown" in compat.problems()


def test_a_mismatch_outside_a_process_builds_with_the_warning_and_the_same_site(site_copy, tmp_path):
    """As after a dependency bump: the build succeeds with one warning; strict, it fails."""
    (site_copy / "sitecustomize.py").write_text(
        "import blogpost.speed.compat as c\nc.CHECKED['mkdocs-material'] = '0.0.1'\n", encoding="utf-8")
    env = {"PYTHONPATH": str(site_copy)}
    loose = _build(site_copy, "mkdocs.yml", tmp_path / "loose", BLOGPOST_SPEED_STRICT="false", **env)
    assert loose.returncode == 0, loose.stderr
    assert loose.stderr.count("blogpost-speed was checked against other versions") == 1, loose.stderr
    assert "mkdocs-material is 9.8.1, not 0.0.1" in loose.stderr
    strict = _build(site_copy, "mkdocs.yml", tmp_path / "strict", BLOGPOST_SPEED_STRICT="true", **env)
    assert strict.returncode != 0
    assert "mkdocs-material is 9.8.1, not 0.0.1 (strict: true;" in strict.stderr
    assert "Traceback" not in strict.stderr


def test_two_builds_in_one_process_leave_no_patch_behind(site_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    applied = []  # (owner, name, the patch's value)
    original = compat.Patches.set

    def recording(self, owner, name, value):
        applied.append((owner, name, value))
        original(self, owner, name, value)

    monkeypatch.setattr(compat.Patches, "set", recording)
    build(load_config(config_file=str(site_copy / "mkdocs.yml"), site_dir=str(tmp_path / "one")))
    assert {"SafeLoader", "Markdown", "markdown", "root_render_func", "posts"} <= {n for _, n, _ in applied}
    stock = bench.stock_variant(site_copy)
    build(load_config(config_file=str(site_copy / stock), site_dir=str(tmp_path / "two")))
    assert compat.patched() == []
    left = [f"{type(owner).__name__}.{name}" for owner, name, value in applied if getattr(owner, name) is value]
    assert left == []


def test_the_blog_s_lists_answer_in_and_index_as_lists_do(tmp_path):
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path)})
    config.validate()
    pages = []
    for i in range(6):
        (tmp_path / f"p{i}.md").write_text(f"# Page {i}\n", encoding="utf-8")
        page = Page(None, File(f"p{i}.md", str(tmp_path), str(tmp_path / "site"), True), config)
        page.read_source(config)
        pages.append(page)
    posts = pages[:4]
    twin = Page(None, pages[1].file, config)  # another page object on the same file and title
    twin.read_source(config)
    plain = list(posts)
    fast = PageList(posts)
    for page in [*pages, twin, "not a page", None]:
        assert (page in fast) == (page in plain), page
        if page in plain:
            assert fast.index(page) == plain.index(page), page
        else:
            with pytest.raises(ValueError):
                fast.index(page)
    assert twin in fast and pages[5] not in fast
    fast.append(pages[5])
    assert pages[5] in fast
    fast.remove(pages[0])
    assert pages[0] not in fast
