"""The Nu HTML Checker (vnu-jar, pinned in package.json) finds no error in any built page."""

import json
import shutil
import subprocess

import pytest

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.fail("the Nu HTML Checker needs Java: install a JRE "
                    "(Debian/Ubuntu: `apt-get install default-jre-headless`)", pytrace=False)
    assert VNU.is_file(), f"{VNU.relative_to(ROOT)} is missing: `make test` installs it (npm ci)"
    return java


def test_the_nu_html_checker_finds_no_error_in_any_page(site, java):
    pages = [str(path) for path in site.html_files]
    assert len(pages) >= 8
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').split(str(site.root))[-1]}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
    ]
    assert not errors, "\n".join(errors)
    assert result.returncode == 0, result.stderr
