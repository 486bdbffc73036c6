"""The GitHub workflows are valid and pass an offline security audit."""

import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def run(*args):
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT, capture_output=True, text=True)


def test_there_are_workflows():
    assert WORKFLOWS


def test_workflows_match_the_github_schema():
    result = run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_zizmor_offline():
    result = run("zizmor", "--offline", "--no-progress", ".github/workflows")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_runs_tests_first_and_deploys_with_least_privilege():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    jobs = flow["jobs"]
    # Nothing by default; each job is granted only what it needs.
    assert flow["permissions"] == {}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert flow["concurrency"]["group"] == "pages"
    assert flow["concurrency"]["cancel-in-progress"] is False
    deploy = jobs["deploy"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "build" in ([deploy["needs"]] if isinstance(deploy["needs"], str) else deploy["needs"])
    build_steps = " ".join(str(s.get("run", "")) for s in jobs["build"]["steps"])
    assert "make test" in build_steps and "make build" in build_steps
    uses = [s["uses"] for job in jobs.values() for s in job.get("steps", []) if "uses" in s]
    assert all(len(u.split("@")[1]) == 40 for u in uses), "actions are pinned to commits"
    # A publish never waits for a re-check of the speed plugin after a dependency bump.
    assert "BLOGPOST_SPEED_STRICT" not in (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")


def test_pull_requests_run_the_tests_with_the_speed_plugin_strict():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8"))
    steps = flow["jobs"]["test"]["steps"]
    test = next(step for step in steps if "make test" in str(step.get("run", "")))
    assert test["env"]["BLOGPOST_SPEED_STRICT"] == "true"
    assert flow["permissions"] == {} and flow["jobs"]["test"]["permissions"] == {"contents": "read"}
