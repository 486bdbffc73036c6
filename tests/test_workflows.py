"""The GitHub workflows are valid and pass an offline security audit."""

import re
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


def test_every_action_is_pinned_to_a_commit_with_its_version_named():
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$", line), f"{path.name}: {line}"


def test_links_are_checked_weekly_and_by_hand_and_one_job_alone_may_write_issues():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "links.yml").read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"schedule", "workflow_dispatch"} and len(triggers["schedule"]) == 1
    assert flow["permissions"] == {}
    check, issue = flow["jobs"]["check"], flow["jobs"]["issue"]
    assert check["permissions"] == {"contents": "read"}
    assert issue["permissions"] == {"issues": "write"} and issue["needs"] == "check"
    # The job that may write issues checks out and runs nothing from the repository.
    assert all("uses" not in step for step in issue["steps"])
    assert all("make" not in step.get("run", "") for step in issue["steps"])
    checkout = next(step for step in check["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    # The same check as `make links`, with the network: retries, a cache kept between runs.
    [run] = [step for step in check["steps"] if "make links" in step.get("run", "")]
    arguments = run["env"]["LINKS_ARGS"].split()
    assert {"--external", "--retries", "--cache", "--report", "--exit-zero"} <= set(arguments)
    cache = next(step for step in check["steps"] if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == arguments[arguments.index("--cache") + 1]
    # One issue: found by its label, edited while links are broken, closed when none are.
    script = issue["steps"][0]["run"]
    assert "gh issue list --label" in script and "gh issue edit" in script
    assert "gh issue create" in script and "gh issue close" in script
