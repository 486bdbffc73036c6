"""Every page starts its <head> with one Content-Security-Policy: scripts only from the site
and the theme's own inline scripts, each allowed by its hash, and nothing an author wrote."""

import base64
import hashlib



# Script types a browser runs (and CSP governs); others, such as application/ld+json, are data.
EXECUTABLE = {None, "", "module", "text/javascript", "application/javascript", "importmap", "speculationrules"}


def policy_of(tree) -> dict[str, list[str]]:
    head = tree.find("head")
    first = head[0]
    assert first.tag == "meta" and first.get("http-equiv") == "Content-Security-Policy", \
        f"the first element of <head> is <{first.tag} {dict(first.attrib)}>"
    assert len(head.xpath("meta[@http-equiv='Content-Security-Policy']")) == 1
    directives = [part.split() for part in first.get("content").split(";") if part.strip()]
    return {d[0]: d[1:] for d in directives}


def inline_scripts(tree) -> list[str]:
    return [
        script.text or ""
        for script in tree.iter("script")
        if script.get("src") is None and (script.get("type") or "").strip().lower() in EXECUTABLE
    ]


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_page_starts_its_head_with_the_same_policy(site):
    policies = {path.relative_to(site.root).as_posix(): policy_of(site.tree(path)) for path in site.html_files}
    assert len(policies) >= 8
    first = next(iter(policies.values()))
    different = [page for page, policy in policies.items() if policy != first]
    # The same policy everywhere (navigation.instant, if turned on, keeps the first page's).
    assert not different, different


def test_the_policy_allows_only_the_site_and_hashed_scripts(site):
    policy = policy_of(site.page(""))
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    script_src = policy["script-src"]
    assert script_src[0] == "'self'"
    # The one keyword besides hashes: Pagefind queries the search index with WebAssembly;
    # 'wasm-unsafe-eval' allows compiling it, not eval() or inline script.
    assert script_src[1] == "'wasm-unsafe-eval'"
    assert all(source.startswith("'sha256-") for source in script_src[2:]), script_src
    assert set(policy) <= {"default-src", "script-src", "img-src", "object-src", "base-uri", "form-action"}
    for directive, sources in policy.items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, directive
        assert "*" not in sources and "http:" not in sources and "https:" not in sources, directive


def test_the_hashes_cover_every_inline_script_and_nothing_else(site):
    allowed = {s for s in policy_of(site.page(""))["script-src"][1:] if s.startswith("'sha256-")}
    used = set()
    for path in site.html_files:
        for script in inline_scripts(site.tree(path)):
            assert sha256(script) in allowed, f"{path.relative_to(site.root)}: not allowed: {script[:80]}"
            used.add(sha256(script))
    assert used, "no inline script found: the check checked nothing"
    assert allowed == used, f"hashes of scripts no page has: {allowed - used}"


def test_json_ld_and_other_data_scripts_are_not_hashed():
    from blogpost.output.csp import executable_scripts

    page = (
        '<script type="application/ld+json">{"@type": "BlogPosting"}</script>'
        '<script id="__config" type="application/json">{}</script>'
        '<script src="x.js"></script><script>run()</script><script type="module">go()</script>'
        '<script data-type="x" type="text/javascript">also()</script>'
    )
    assert executable_scripts(page) == ["run()", "go()", "also()"]


def test_the_policy_allows_only_the_theme_scripts_every_page_shares(site):
    # The policy is made from the theme's templates alone, never from a page: each hash it
    # allows is of an inline script that every page carries alike, so none can be an author's.
    pages = [site.tree(path) for path in site.html_files]
    shared = set.intersection(*({sha256(s) for s in inline_scripts(tree)} for tree in pages))
    allowed = {source for source in policy_of(pages[0])["script-src"] if source.startswith("'sha256-")}
    assert allowed and allowed <= shared


def test_material_scripts_are_one_text_on_every_page(config, site):
    # One policy fits every page, and would still if navigation.instant (which keeps the
    # first page's policy for the pages it swaps in) were turned on.
    scripts = {tuple(inline_scripts(site.tree(path))) for path in site.html_files}
    assert len(scripts) == 1, "the theme's inline scripts differ between pages"
