"""What docs/fleet/ ships for monitoring: the scrape configuration and the
alert rules checked and tested by promtool (where it is installed: Debian's
`prometheus` package), the Grafana dashboard's structure and queries, and
every metric they or docs/fleet.md name served by a real kiosk."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from channel_server import free_port

ROOT = Path(__file__).resolve().parents[1]
FLEET = ROOT / "docs" / "fleet"
DASHBOARD = FLEET / "grafana-dashboard.json"
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None,
    reason="promtool is not installed (Debian: apt-get install prometheus); the alert rules "
           "and the scrape configuration are checked only where it is")
METRIC = re.compile(r"\btaixin_kiosk_[a-z_]+\b")


def promtool(*args: str, cwd: Path = FLEET) -> str:
    assert PROMTOOL is not None
    done = subprocess.run([PROMTOOL, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


@needs_promtool
def test_the_scrape_configuration_is_valid_and_finds_its_rules():
    output = promtool("check", "config", "prometheus.yml")
    assert "SUCCESS: 1 rule files found" in output
    assert "WARNING" not in output, output


@needs_promtool
def test_the_alert_rules_pass_their_tests():
    assert "SUCCESS: 7 rules found" in promtool("check", "rules", "alerts.yml")
    assert "SUCCESS" in promtool("test", "rules", "alerts.test.yml")


def test_every_alert_the_issue_asks_for_is_there_and_tested():
    rules = (FLEET / "alerts.yml").read_text("utf-8")
    tests = (FLEET / "alerts.test.yml").read_text("utf-8")
    alerts = re.findall(r"- alert: (\w+)", rules)
    assert {"KioskScreenDown", "KioskWindowNotShown", "KioskCrashLoop", "KioskContentStale",
            "KioskSyncFailing"} <= set(alerts)
    for alert in alerts:
        assert f"alertname: {alert}\n" in tests, f"{alert} has no test"


def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text("utf-8"))


def queries(board: dict) -> list[str]:
    return [target["expr"] for panel in board["panels"] for target in panel["targets"]]


def test_the_dashboard_is_an_importable_grafana_dashboard():
    board = dashboard()
    assert board["title"] and board["uid"] and isinstance(board["schemaVersion"], int)
    # Import asks for the Prometheus data source; every panel and query uses it.
    assert [i["name"] for i in board["__inputs"]] == ["DS_PROMETHEUS"]
    variables = {v["name"] for v in board["templating"]["list"]}
    assert variables == {"job", "instance"}
    panels = board["panels"]
    ids = [p["id"] for p in panels]
    assert len(ids) == len(set(ids))
    cells: set[tuple[int, int]] = set()
    for panel in panels:
        assert panel["type"] in {"stat", "table", "timeseries", "bargauge", "piechart"}
        assert panel["title"] and panel["description"]
        assert panel["datasource"]["uid"] == "${DS_PROMETHEUS}"
        grid = panel["gridPos"]
        assert all(isinstance(grid[k], int) for k in "xywh")
        assert grid["x"] >= 0 and grid["w"] > 0 and grid["x"] + grid["w"] <= 24, panel["title"]
        # No two panels on the same cell of Grafana's 24-column grid.
        mine = {(x, y) for x in range(grid["x"], grid["x"] + grid["w"])
                for y in range(grid["y"], grid["y"] + grid["h"])}
        assert not mine & cells, panel["title"]
        cells |= mine
        refs = [t["refId"] for t in panel["targets"]]
        assert refs and len(refs) == len(set(refs))
        for target in panel["targets"]:
            assert target["expr"].strip()
            assert target["datasource"]["uid"] == "${DS_PROMETHEUS}"
    titles = " / ".join(p["title"].lower() for p in panels)
    for wanted in ("screens up", "window shown", "restarts", "content version",
                   "views by slide", "views by language", "since the last successful sync"):
        assert wanted in titles, wanted


@needs_promtool
def test_the_dashboard_queries_are_promql(tmp_path):
    """promtool parses each query as a recording rule, with Grafana's variables filled in."""
    board = dashboard()
    filled = [expr.replace("$__range", "1h").replace("$job", "taixin-kiosk")
              .replace("$instance", ".*") for expr in queries(board)]
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query_{i}", "expr": expr} for i, expr in enumerate(filled)]}]}
    # JSON is YAML: promtool reads it as a rules file.
    (tmp_path / "queries.yml").write_text(json.dumps(rules), "utf-8")
    output = promtool("check", "rules", "queries.yml", cwd=tmp_path)
    assert f"SUCCESS: {len(filled)} rules found" in output


def served_names(text: str) -> set[str]:
    """Every sample name the endpoint can serve, from its families' types (a
    family with no samples yet, such as views before the first visitor, too)."""
    from prometheus_client.parser import text_string_to_metric_families

    names = set()
    for family in text_string_to_metric_families(text):
        if family.type == "counter":
            names.add(family.name.removesuffix("_total") + "_total")
        elif family.type == "summary":
            names |= {family.name, family.name + "_count", family.name + "_sum"}
        else:
            names.add(family.name)
    return names


def test_every_metric_the_alerts_dashboard_and_docs_name_is_served(make_app):
    port = free_port()
    # A channel (at a dead address: nothing is pulled) so its metrics are there too.
    make_app(kiosk=True, keep_awake=False, idle_seconds=600.0, attract_seconds=600.0,
             channel_url=f"http://127.0.0.1:{free_port()}", metrics_address=f"127.0.0.1:{port}")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        served = served_names(response.read().decode("utf-8"))
    # Restarts recorded by a supervisor add this one.
    served.add("taixin_kiosk_last_restart_timestamp_seconds")
    named = {
        "alerts.yml": set(METRIC.findall((FLEET / "alerts.yml").read_text("utf-8"))),
        "grafana-dashboard.json": set(METRIC.findall(" ".join(queries(dashboard())))),
    }
    docs = (ROOT / "docs" / "fleet.md").read_text("utf-8")
    monitoring = docs.split("## Monitoring", 1)[1].split("\n## ", 1)[0]
    named["docs/fleet.md"] = set(METRIC.findall(monitoring))
    for where, names in named.items():
        assert names, where
        assert names <= served, (where, names - served)
    # And the other way round: docs/fleet.md lists every metric served (a
    # summary by its name, without _count and _sum).
    documented = named["docs/fleet.md"]
    missing = {n for n in served if n not in documented
               and n.removesuffix("_count").removesuffix("_sum") not in documented}
    assert not missing, missing
