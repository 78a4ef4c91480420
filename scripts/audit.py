"""Audit the installed packages for known vulnerabilities (R14), also where only PyPI answers.

    python scripts/audit.py            # after: python -m pip install pip-audit

1. Runs ``pip-audit`` on this environment with its default service, PyPI's vulnerability
   data, which it reads from the per-release pages ``pypi.org/pypi/NAME/VERSION/json``.
2. Where those pages are not reachable (on the project's machines the registry answers only
   the per-project pages, so pip-audit skips every package as "not found on PyPI" and still
   exits 0), each skipped package is looked up at ``pypi.org/pypi/NAME/json``. That page lists
   the vulnerabilities of the project's *latest* release, so it audits the installed version
   exactly when the installed version is the latest one.
3. Exits 1 if any vulnerability is found, or if a package the app *ships with* (the
   dependency closure of sdm-assistant without extras, all pinned in constraints.txt) could
   be audited neither way: an audit that silently checked nothing must not pass. Test tools
   and the installer (pytest, pip, pip-audit itself ...) that cannot be audited are listed as
   a warning only; they never see patient data.

So when a newer release of a shipped dependency appears, this fails until the pin is raised
(or the package is audited by hand where the per-release pages are reachable). Exit 2: the
audit could not run at all (pip-audit missing, PyPI unreachable).
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pin_constraints import closure

PROJECT = "sdm-assistant"
PYPI_PROJECT = "https://pypi.org/pypi/{name}/json"
TIMEOUT_S = 30


def run_pip_audit() -> dict[str, Any]:
    """pip-audit's JSON report for this environment (editable installs skipped)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner",
             "off", "--skip-editable"],
            capture_output=True, text=True, check=False, timeout=1800)
    except subprocess.TimeoutExpired:
        raise SystemExit("audit: pip-audit did not finish in 30 minutes") from None
    if done.returncode not in (0, 1) or not done.stdout.strip():
        sys.stderr.write(done.stderr)
        raise SystemExit("audit: pip-audit could not run (is it installed? "
                         "python -m pip install pip-audit)")
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def latest_release_vulns(name: str) -> tuple[str, list[str]] | None:
    """(latest version, ids of vulnerabilities affecting it) from PyPI's project page, or
    None if the page cannot be read."""
    url = PYPI_PROJECT.format(name=name)
    for _ in range(3):
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
                data = json.load(response)
            break
        except urllib.error.HTTPError as exc:
            if exc.code == 404:  # not on PyPI at all: asking again will not help
                return None
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError):
            continue
    else:
        return None
    vulns = [str(v.get("id")) for v in data.get("vulnerabilities") or []
             if not v.get("withdrawn")]
    return str(data["info"]["version"]), vulns


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def main() -> int:
    """Run the audit; see the module docstring for the exit codes."""
    shipped = set(closure(()))
    report = run_pip_audit()
    found: list[str] = []
    unaudited_shipped: list[str] = []
    unaudited_tools: list[str] = []
    audited = 0
    for dep in report.get("dependencies", []):
        name = canonicalize_name(dep["name"])
        if name == canonicalize_name(PROJECT):  # this project itself: not on PyPI
            continue
        if "skip_reason" not in dep:
            audited += 1
            found += [f"{name} {dep.get('version')}: {v['id']}" for v in dep.get("vulns", [])]
            continue
        version = installed_version(name)
        latest = latest_release_vulns(name)
        if version is not None and latest is not None and latest[0] == version:
            audited += 1
            found += [f"{name} {version}: {vuln}" for vuln in latest[1]]
            continue
        why = ("no answer from PyPI" if latest is None
               else f"installed {version}, latest {latest[0]}: PyPI's page for {version} "
                    "is not reachable here")
        (unaudited_shipped if name in shipped else unaudited_tools).append(f"{name} ({why})")
    print(f"audit: {audited} packages audited, {len(found)} known vulnerabilities")
    for line in found:
        print(f"  VULNERABLE {line}")
    for line in unaudited_tools:
        print(f"  warning: not audited (test/installer tool): {line}")
    for line in unaudited_shipped:
        print(f"  NOT AUDITED (shipped with the app): {line}")
    if audited == 0:
        print("audit: nothing could be audited", file=sys.stderr)
        return 2
    return 1 if found or unaudited_shipped else 0


if __name__ == "__main__":
    raise SystemExit(main())
