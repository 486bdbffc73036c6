"""One report for every problem of a build, and a site folder that only a successful build
replaces: front matter, links, anchors and images in one run, each at file:line; a failed or
strict-failed build leaves site/ byte for byte as it was; each build ends with one line that
counts what was published and what was left out."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from blogpost.content.problems import Problem, ProblemsError, report
from blogpost.content.publication import summary
from blogpost.content.source import check_source
from conftest import mkdocs_build

NEW = "docs/blog/posts/2026-11-20-new.md"
GUIDE = "docs/guides/it-outsourcing/04-communication.md"
POST = "docs/blog/posts/2026-11-16-building-a-learning-plan-for-a-team-that-works-with-vendors.md"


def post(body: str, *, tags: str = "[AI]", extra: str = "") -> str:
    return (f"---\ntitle: A new post\ndate: 2026-11-20\ndescription: One sentence.\ntags: {tags}\n"
            f"authors: [editors]\n{extra}---\n\n# A new post\n\nIntro.\n\n<!-- more -->\n\n{body}\n")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder, by path, with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def append(project: Path, name: str, text: str) -> int:
    """Add lines at the end of a file; the line number of the first one added."""
    path = project / name
    before = path.read_text(encoding="utf-8")
    path.write_text(before + ("" if before.endswith("\n") else "\n") + text, encoding="utf-8")
    return before.count("\n") + 1 + (0 if before.endswith("\n") else 1)


def leftovers(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if path.name.startswith(".site.")]


def test_four_problems_in_three_files_are_reported_in_one_run_and_site_is_untouched(site_copy):
    site = site_copy / "site"
    good = mkdocs_build(site_copy, site)
    assert good.returncode == 0, good.stderr
    before = snapshot(site)
    assert len(before) > 50

    (site_copy / NEW).write_text(post("See [the contracts](../../guides/it-outsourcing/05-contract.md).",
                                      tags="[ai]"), encoding="utf-8")
    anchor = append(site_copy, GUIDE, "\nSee [the checklist](#checklst).\n") + 1
    image = append(site_copy, POST, "\n![A chart](../../assets/images/chart.png)\n") + 1
    result = mkdocs_build(site_copy, site)

    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "4 problems in the content:" in result.stderr, result.stderr
    for line in (
        f"{NEW}:5: tags: 'ai' is not a known tag (did you mean 'AI'?)",
        f"{NEW}:15: link '../../guides/it-outsourcing/05-contract.md': no page at "
        "'guides/it-outsourcing/05-contract.md' (did you mean '../../guides/it-outsourcing/05-contracts.md'?)",
        f"{GUIDE}:{anchor}: link '#checklst': no such anchor on this page (did you mean '#checklist'?)",
        f"{POST}:{image}: image '../../assets/images/chart.png': no file at 'assets/images/chart.png' "
        "(copy the image into docs/ and link it relative to this page)",
    ):
        assert line in result.stderr.splitlines(), result.stderr
    # Said once, in the report's words: MkDocs' own wording of the same problems is off.
    assert "Doc file" not in result.stderr, result.stderr
    assert snapshot(site) == before
    assert leftovers(site_copy) == []


def test_a_broken_anchor_in_another_page_names_that_page_and_the_nearest_anchor(site_copy, tmp_path):
    (site_copy / NEW).write_text(post("Read [the checklist](../../guides/it-outsourcing/04-communication.md#check)."),
                                 encoding="utf-8")
    result = mkdocs_build(site_copy, tmp_path / "out")
    assert result.returncode != 0
    assert (f"{NEW}:15: link '../../guides/it-outsourcing/04-communication.md#check': no such anchor in "
            "'guides/it-outsourcing/04-communication.md' (did you mean '#checklist'?)") in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_a_link_the_link_patterns_cannot_read_is_still_named_at_its_line(site_copy, tmp_path):
    # A space inside <...>: MkDocs links it, the source scan reads only up to the space.
    (site_copy / NEW).write_text(post("Intro line.\n\nRead [the contract](<../../guides/it-outsourcing/05 contracts.md>)."),
                                 encoding="utf-8")
    result = mkdocs_build(site_copy, tmp_path / "out")
    assert result.returncode != 0
    assert f"{NEW}:17: link '../../guides/it-outsourcing/05 contracts.md'" in result.stderr, result.stderr
    assert "did you mean '../../guides/it-outsourcing/05-contracts.md'?" in result.stderr, result.stderr


def test_a_link_to_a_page_left_out_for_its_problems_is_not_reported_again(site_copy, tmp_path):
    broken = "docs/blog/posts/2026-11-21-broken.md"
    (site_copy / broken).write_text(post("Body.").replace("authors: [editors]", "authors: [editor]")
                                     .replace("2026-11-20", "2026-11-21"), encoding="utf-8")
    (site_copy / NEW).write_text(post("See [the other one](2026-11-21-broken.md)."), encoding="utf-8")
    result = mkdocs_build(site_copy, tmp_path / "out")
    assert result.returncode != 0
    assert "1 problem in the content:" in result.stderr, result.stderr
    assert f"{broken}:6: authors: 'editor' is not a known author (did you mean 'editors'?)" in result.stderr


def test_a_link_to_a_draft_says_it_is_a_draft(site_copy, tmp_path):
    draft = "docs/blog/posts/2026-11-21-draft.md"
    (site_copy / draft).write_text(post("Body.", extra="draft: true\n").replace("2026-11-20", "2026-11-21"),
                                   encoding="utf-8")
    (site_copy / NEW).write_text(post("See [the draft](2026-11-21-draft.md)."), encoding="utf-8")
    result = mkdocs_build(site_copy, tmp_path / "out")
    assert result.returncode != 0
    assert (f"{NEW}:15: link '2026-11-21-draft.md': {draft} is a draft, left out of this build "
            "(link to it once it is published)") in result.stderr, result.stderr


def test_a_strict_warning_fails_the_build_and_leaves_site_untouched(site_copy):
    site = site_copy / "site"
    assert mkdocs_build(site_copy, site).returncode == 0
    before = snapshot(site)
    # An absolute link: MkDocs warns (validation: links: absolute_links), and --strict fails,
    # but only after the build's last event.
    (site_copy / NEW).write_text(post("See [the blog](/blog/)."), encoding="utf-8")
    result = mkdocs_build(site_copy, site)
    assert result.returncode != 0
    assert "contains an absolute link '/blog/'" in result.stderr
    assert "Aborted with 1 warnings in strict mode!" in result.stdout + result.stderr
    assert snapshot(site) == before
    assert leftovers(site_copy) == []


def test_a_build_that_succeeds_replaces_the_site_whole(site_copy):
    site = site_copy / "site"
    site.mkdir()
    (site / "stale.html").write_text("from an old build", encoding="utf-8")
    result = mkdocs_build(site_copy, site)
    assert result.returncode == 0, result.stderr
    assert not (site / "stale.html").exists() and (site / "index.html").is_file()
    assert leftovers(site_copy) == []


def test_each_build_ends_with_one_line_counting_what_was_published_and_left_out(site_copy, tmp_path):
    draft, scheduled = "docs/blog/posts/2026-11-21-draft.md", "docs/blog/posts/2999-01-01-later.md"
    posts = len(list((site_copy / "docs/blog/posts").glob("*.md")))
    guides = len(list((site_copy / "docs/guides").rglob("*.md")))
    (site_copy / draft).write_text(post("Body.", extra="draft: true\n").replace("2026-11-20", "2026-11-21"),
                                   encoding="utf-8")
    (site_copy / scheduled).write_text(post("Body.").replace("2026-11-20", "2999-01-01"), encoding="utf-8")
    result = mkdocs_build(site_copy, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "Published " in line]
    assert lines == [f"INFO    -  blogpost: Published {posts} posts and {guides} guide pages; "
                     f"left out: 1 draft ({draft}), 1 scheduled ({scheduled})"], result.stderr


def test_the_preview_counts_what_it_shows_that_a_build_would_leave_out():
    def entry(uri, is_post):
        return SimpleNamespace(file=SimpleNamespace(src_uri=uri), is_post=is_post)

    posts = [entry("blog/posts/a.md", True), entry("blog/posts/b.md", True)]
    model = SimpleNamespace(posts=posts, entries=[*posts, entry("guides/x.md", False)])
    held = SimpleNamespace(left_out={"blog/posts/b.md": ("draft", "docs/blog/posts/b.md")})
    assert summary(model, held, serving=True) == (
        "Previewing 1 post and 1 guide page; shown in the preview only: 1 draft (docs/blog/posts/b.md)")
    assert summary(model, SimpleNamespace(left_out={}), serving=False) == "Published 2 posts and 1 guide page"


def test_the_error_carries_its_problems_sorted_and_each_once():
    problems = [Problem("b.md", 2, "tags", "x"), Problem("a.md", 9, "link 'y'", "z"), Problem("b.md", 2, "tags", "x")]
    error = report(problems, "the content")
    assert isinstance(error, ProblemsError)
    assert error.problems == [problems[1], problems[0]]
    assert str(error) == "2 problems in the content:\na.md:9: link 'y': z\nb.md:2: tags: x"


YAML_CASES = {  # front matter fields (title first) -> the problem, at its line
    "a date that is none": ("title: A\ndate: 2026-13-01\n",
                            "x.md:3: date: 2026-13-01 is not a date: month must be in 1..12 "
                            "(write 2026-11-20, or 2026-11-20T09:30:00+01:00, without quotes)"),
    "that date, quoted": ('title: A\ndate: "2026-13-01"\n',
                          "x.md:3: date: 2026-13-01 is text in quotes, and not a date: month must be in 1..12 "
                          "(write 2026-11-20, or 2026-11-20T09:30:00+01:00, without quotes)"),
    "a real date, quoted": ('title: A\ndate: "2026-11-01"\n',
                            "x.md:3: date: 2026-11-01 is text, not an ISO 8601 date or a date-time with an offset "
                            "(write 2026-11-20, or 2026-11-20T09:30:00+01:00, without quotes)"),
    "an hour that is none": ("title: A\ndate: 2026-11-01T25:00:00+01:00\n",
                             "x.md:3: date: 2026-11-01T25:00:00+01:00 is not a date: hour must be in 0..23 "
                             "(write 2026-11-20, or 2026-11-20T09:30:00+01:00, without quotes)"),
    "a colon in a title": ("title: Vendor access: a routine\ndate: 2026-11-01\n",
                           "x.md:2: title: the value holds ': ', which YAML reads as the start of another field "
                           '(put the title in quotes: title: "Vendor access: a routine")'),
    "a tab before a field": ("title: A\n\tdate: 2026-11-01\n",
                             "x.md:3: date: a tab where YAML allows none (use spaces, not tabs)"),
    "a tab in a list": ("title: A\ndate: 2026-11-01\ntags:\n\t- AI\n",
                        "x.md:5: tags: a tab where YAML allows none (use spaces, not tabs)"),
    "a tab in a value": ("title: A\tB\ndate: 2026-11-01\n", "x.md:2: title: has a tab, not allowed (use spaces, not tabs)"),
}


def _post_problems(fields: str) -> tuple[dict | None, list[str]]:
    text = f"---\n{fields}---\n\n# A\n\nIntro.\n\n<!-- more -->\n"
    checked = check_source("x.md", text.encode(), kind="post", tags=["AI"], authors=["editors"])
    return checked.meta, [str(problem) for problem in checked.problems]


@pytest.mark.parametrize("fields, expected", YAML_CASES.values(), ids=YAML_CASES.keys())
def test_yaml_mistakes_are_named_at_their_line_with_one_hint_per_kind(fields, expected):
    rest = "".join(f"{line}\n" for line in ("description: One.", "tags: [AI]", "authors: [editors]")
                   if line.split(":")[0] + ":" not in fields)
    assert _post_problems(fields + rest)[1] == [expected]


def test_a_yaml_mistake_does_not_hide_the_other_fields_mistakes():
    # Two mistakes YAML cannot read past, each placed at its line, then two in fields it reads:
    # all four in one run; the fields set aside are not reported missing.
    meta, problems = _post_problems("title: Vendor access: a routine\ndate: 2026-13-01\ndescription: One.\n"
                                    "tags: [AIX]\nauthors: [nobody]\n")
    assert meta is None  # nothing of an unreadable front matter is used
    assert [problem.split(": ")[0:2] for problem in problems] == [
        ["x.md:2", "title"], ["x.md:3", "date"], ["x.md:5", "tags"], ["x.md:6", "authors"]]
    assert "'AIX' is not a known tag (did you mean 'AI'?)" in problems[2]
    assert not any("missing" in problem for problem in problems)


def test_a_tab_in_a_list_names_its_field_and_the_rest_is_checked():
    meta, problems = _post_problems("title: A\ndate: 2026-11-01\ndescription: One.\ntags:\n\t- AI\n"
                                    "authors: [nobody]\n")
    assert meta is None
    assert problems == ["x.md:6: tags: a tab where YAML allows none (use spaces, not tabs)",
                        "x.md:7: authors: 'nobody' is not a known author (known authors: editors; "
                        "new authors go in docs/blog/.authors.yml)"]


def test_a_field_left_out_is_still_missing_after_a_yaml_mistake():
    meta, problems = _post_problems("title: A: B\ndescription: One.\ntags: [AI]\nauthors: [editors]\n")
    assert meta is None
    assert [problem.split(": ")[0:2] for problem in problems] == [["x.md:2", "title"], ["x.md:1", "date"]]
    assert "required field is missing" in problems[1]


@pytest.mark.parametrize("fields", [
    'title: "Vendor access\ndate: 2026-11-01\ndescription: "One."\ntags: [AIX]\nauthors: [nobody]\n',
    "title: A\ndate: 2026-11-01\ndescription: One.\ntags: [AI, Learning\nauthors: [nobody]\n",
    'title "A"\ndate: 2026-11-01\ndescription: One.\ntags: [AIX]\nauthors: [nobody]\n',
], ids=["an unclosed quote", "an unclosed list", "a field without its colon"])
def test_a_yaml_mistake_it_cannot_place_is_reported_alone(fields):
    # YAML notices these lines after the mistake: what it reads past it may only echo it, so the
    # first problem is the only one (the author fixes it, and the next run checks the rest).
    meta, problems = _post_problems(fields)
    assert meta is None and len(problems) == 1


def test_unsafe_html_is_reported_once_though_the_page_stays_in_the_build(site_copy, tmp_path):
    # The script is in the post's excerpt: the source scan, the page's HTML and the blog index's
    # excerpt would each find it; the author reads it once. The blog's own page can have one too.
    (site_copy / NEW).write_text(post("Body.").replace("Intro.", "Intro <script>x()</script>."), encoding="utf-8")
    line = append(site_copy, "docs/blog/index.md", "\n<script>y()</script>\n") + 1
    result = mkdocs_build(site_copy, tmp_path / "out")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "2 problems in the content:" in result.stderr, result.stderr
    assert f"{NEW}:11: html: <script> can run code" in result.stderr
    assert f"docs/blog/index.md:{line}: html: <script> can run code" in result.stderr
