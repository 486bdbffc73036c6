"""Tables scroll inside a named, focusable box of their own (blogpost/output/markup.py); the
browser test of the layout (test_layout_browser.py) checks that none widens a page."""

from collections import Counter

from blogpost.output.markup import scrolling_tables


def test_a_table_is_wrapped_in_a_region_named_after_its_heading():
    html = ('<h2 id="a">Costs &amp; risks<a class="headerlink" href="#a" title="Link">¶</a></h2>'
            "<table><tr><td>1</td></tr></table><p>x</p><table><tr><td>2</td></tr></table>")
    out = scrolling_tables(html)
    assert out.count('<div class="bp-table" role="region" tabindex="0"') == 2
    assert 'aria-label="Costs &amp; risks, table">' in out
    assert 'aria-label="Costs &amp; risks, table 2">' in out
    assert out.replace("</div>", "").count("<table>") == 2


def test_a_table_nested_in_a_cell_stays_inside_the_outer_tables_box():
    html = '<table class="x"><tr><td><table><tr><td>in</td></tr></table></td></tr></table><p>after</p>'
    out = scrolling_tables(html)
    assert out == f'<div class="bp-table" role="region" tabindex="0" aria-label="table">{html[:-12]}</div><p>after</p>'


def test_a_table_before_any_heading_is_still_named():
    assert 'aria-label="table"' in scrolling_tables("<table><tr><td>1</td></tr></table>")


def test_every_table_on_the_site_scrolls_in_a_uniquely_named_region(site):
    tables = 0
    for path in site.html_files:
        tree = site.tree(path)
        names = Counter()
        for table in tree.cssselect("article table"):
            box = table.getparent()
            assert box.get("class") == "bp-table", f"{site.url_of(path)}: a table outside its box"
            assert box.get("role") == "region" and box.get("tabindex") == "0"
            names[box.get("aria-label")] += 1
            tables += 1
        assert all(n == 1 for n in names.values()), f"{site.url_of(path)}: {names}"
    assert tables >= 10, "the site's tables were not found"
