"""axe-core finds no violation, of any impact, on any kind of page, in either palette."""

import pytest

from browser import PALETTES


@pytest.mark.parametrize("palette", PALETTES)
def test_axe_finds_no_violation_on_any_page_type(sweep, page_types, palette):
    visits = {kind: visit for (shown_in, kind), visit in sweep.items() if shown_in == palette}
    assert set(visits) == set(page_types)
    problems = []
    for kind, visit in visits.items():
        if visit.scheme != PALETTES[palette]:
            problems.append(f"{kind} ({visit.url}): shown in {visit.scheme!r}, not {PALETTES[palette]!r}")
        for v in visit.violations:
            problems.append(f"{kind} ({visit.url}): {v['id']} ({v['impact']}): {v['help']}: {v['nodes'][:3]}")
    assert not problems, "\n".join(problems)


def test_every_page_type_is_found_in_the_build(page_types):
    assert {"home", "blog index", "post", "archive", "author page", "tag index", "tag page", "404"} <= set(page_types)
