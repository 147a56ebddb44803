#!/usr/bin/env python3
"""The template peer race: `npm run bench`, last part (started by bench/peer.ts).

The peer is the hand-made SUMIFS/ROUND template a sales analyst builds today
(../shared/bench/peer_template.py: an openpyxl workbook with no cached values, recalculated by
headless LibreOffice). For each size (500 and 5,000 reps by default) this script

1. builds, from the peer's own seeded data (its make_data), two workbooks of the same organisation
   and history: the peer's template (its write_template), and ours — sheets Targets (Period 2027,
   Target), Settings (Levels Region > Team > Rep, Grain Week, Unit) and History (Date, Region, Team,
   Rep, Amount: the peer's 36 months, its amounts in cents written as currency). Both are kept under
   the work folder and rebuilt only when the peer's script, this script, the size or the seed change;
2. races them in one run, alternating: the peer's LibreOffice load + recalculate + save (its own
   soffice_convert, private profile set to always recalculate) and `target-cascade plan IN --out OUT`
   in a child node; one warm-up of each, then --runs timed runs of each, peer, ours, peer, ours …;
   wall time and peak RSS of both from /usr/bin/time -v (peak-memory.js for ours when it is missing),
   and the CPU time (user + system) each run's processes used — on a shared machine the wall-time
   ratio is the figure that matters, the CPU ratio shows how much of it is the load of others;
3. checks both plans: ours must give every rep within one Unit of its exact share (rational
   arithmetic over the integer cents, the peer's exact_plan), add up to the target exactly and
   reconcile every team and region; the peer's recalculated cells must equal its formulas evaluated
   exactly (its read_back), and its misses are printed: the grand total against the target (its
   check cell), the reps, teams and regions whose rounded weeks do not add up to their share;
4. prints the table (reps, medians, the ratio peer / ours, peak memory) and writes it with the runs
   and checks to WORKDIR/peer_race.md and .json.

The periods differ by design: ours are the ISO weeks cut at the plan's edges (53 for 2027, from the
three days of 2026-W53), the peer's the 52 whole ISO weeks of 2027 each given to the month of its
Thursday; so the comparison is per rep over the year and in total, not week by week.

Exit 0 when every run finished and our checks hold (a peer that is killed at --timeout is reported,
with the ratio as a lower bound); 1 when our command line fails or a check of our plan fails.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

sys.dont_write_bytecode = True      # the peer lives in a read-only folder: leave no __pycache__ there

import openpyxl                     # noqa: E402  (after the bytecode switch)

HERE = Path(__file__).resolve().parent


def load_peer(path: Path):
    spec = importlib.util.spec_from_file_location("peer_template", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------- our input workbook
def write_ours(pt, path: Path, data) -> None:
    """Our input: the peer's organisation, history, target and unit as plain sheets."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Targets")
    ws.append(["Period", "Target"])
    ws.append([pt.PLAN_YEAR, pt.TARGET])
    ws = wb.create_sheet("Settings")
    ws.append(["Key", "Value"])
    for row in (["Levels", "Region > Team > Rep"], ["Grain", "Week"], ["Unit", pt.UNIT]):
        ws.append(row)
    ws = wb.create_sheet("History")
    ws.append(["Date", "Region", "Team", "Rep", "Amount"])
    reps = data["reps"]
    for k, d in enumerate(data["months"]):            # the peer's export order: by month, then rep
        crow = data["cents"][k]
        for i, (region, team, rep) in enumerate(reps):
            ws.append([d, region, team, rep, crow[i] / 100])   # the very cells the peer writes
    wb.save(path)


def stamp_of(pt_path: Path, n: int, seed: int) -> str:
    h = hashlib.sha256()
    for p in (pt_path, Path(__file__).resolve()):
        h.update(p.read_bytes())
    h.update(f"{n}/{seed}".encode())
    return h.hexdigest()


def build(pt, pt_path: Path, workdir: Path, n: int, seed: int):
    """The two workbooks for n reps (reused when the stamp matches) and the peer's data."""
    peer_src = workdir / f"peer_template_{n}.xlsx"
    ours_src = workdir / f"ours_{n}.xlsx"
    stamp_file = workdir / f"inputs_{n}.json"
    stamp = stamp_of(pt_path, n, seed)
    try:
        meta = json.loads(stamp_file.read_text())
    except (OSError, ValueError):
        meta = {}
    if meta.get("stamp") == stamp and peer_src.exists() and ours_src.exists():
        reps, months, cents = pt.make_data(n, seed)
        data = dict(reps=reps, months=months, cents=cents, weeks=pt.iso_weeks(pt.PLAN_YEAR))
        print(f"  inputs: reused {peer_src.name} and {ours_src.name}", flush=True)
        return peer_src, ours_src, data, meta
    stamp_file.unlink(missing_ok=True)
    t0 = time.perf_counter()
    data = pt.write_template(peer_src, n, seed)
    peer_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_ours(pt, ours_src, data)
    ours_s = time.perf_counter() - t0
    meta = dict(stamp=stamp, history_rows=data["history_rows"], formula_cells=data["formula_cells"])
    stamp_file.write_text(json.dumps(meta))
    print(f"  inputs: wrote {peer_src.name} ({peer_src.stat().st_size / 1e6:.1f} MB, "
          f"{data['formula_cells']:,} formulas) in {peer_s:.1f} s and {ours_src.name} "
          f"({ours_src.stat().st_size / 1e6:.1f} MB) in {ours_s:.1f} s", flush=True)
    return peer_src, ours_src, data, meta


# ----------------------------------------------------------------------------- timing ours
def run_ours(node: str, cli: str, src: Path, out: Path, json_out: Path | None, timeout: float):
    """One `target-cascade plan`; returns (seconds, peak_rss_kib or None, ok, note), as soffice_convert does."""
    out.unlink(missing_ok=True)
    cmd = [node]
    timer = shutil.which("time")
    if not timer:
        cmd += ["--require", str(HERE / "peak-memory.js")]
    cmd += [cli, "plan", str(src), "--out", str(out), "--quiet"]
    if json_out is not None:
        cmd += ["--json", str(json_out)]
    if timer:
        cmd = [timer, "-v"] + cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)        # only the group this call started
        p.communicate()
        return time.perf_counter() - t0, None, False, f"killed after {timeout:.0f} s timeout"
    secs = time.perf_counter() - t0
    m = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", err) or re.search(r"peak-rss-kb (\d+)", err)
    rss = int(m.group(1)) if m else None
    ok = p.returncode == 0 and out.exists()
    return secs, rss, ok, "" if ok else f"exit {p.returncode}: {err.strip()[-600:]}"


# ----------------------------------------------------------------------------- the race
def children_cpu_s() -> float:
    """User + system seconds of every child reaped so far (a run's grandchildren roll up through its waits)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def race(pt, args, soffice: str, profile: Path, peer_src: Path, ours_src: Path, n: int):
    peer_dir = args.workdir / f"peer_out_{n}"
    ours_out = args.workdir / f"ours_{n}.planned.xlsx"
    ours_json = args.workdir / f"ours_{n}.result.json"
    res = dict(peer=dict(runs_s=[], rss=[], cpu_s=[]), ours=dict(runs_s=[], rss=[], cpu_s=[]))

    def peer_once(label: str, timed: bool):
        if res["peer"].get("failed"):
            return
        cpu0 = children_cpu_s()
        secs, rss, ok, note = pt.soffice_convert(soffice, profile, peer_src, peer_dir, args.timeout)
        cpu = children_cpu_s() - cpu0
        print(f"  peer {label:<7}: {secs:6.1f} s  {pt.fmt_mib(rss):>9}  cpu {cpu:6.1f} s  {'ok' if ok else note}",
              flush=True)
        if not ok:
            res["peer"]["failed"] = note
            res["peer"]["failed_after_s"] = secs
        elif timed:
            res["peer"]["runs_s"].append(secs)
            res["peer"]["rss"].append(rss)
            res["peer"]["cpu_s"].append(cpu)

    def ours_once(label: str, timed: bool):
        if res["ours"].get("failed"):
            return
        # the warm-up also writes RESULT.json for the checks; the timed runs write the workbook only
        cpu0 = children_cpu_s()
        secs, rss, ok, note = run_ours(args.node, args.cli, ours_src, ours_out, None if timed else ours_json,
                                       args.timeout)
        cpu = children_cpu_s() - cpu0
        print(f"  ours {label:<7}: {secs:6.1f} s  {pt.fmt_mib(rss):>9}  cpu {cpu:6.1f} s  {'ok' if ok else note}",
              flush=True)
        if not ok:
            res["ours"]["failed"] = note
        elif timed:
            res["ours"]["runs_s"].append(secs)
            res["ours"]["rss"].append(rss)
            res["ours"]["cpu_s"].append(cpu)

    peer_once("warm-up", False)
    ours_once("warm-up", False)
    for k in range(args.runs):
        peer_once(f"run {k + 1}", True)
        ours_once(f"run {k + 1}", True)
    for side in res.values():
        if side["runs_s"] and not side.get("failed"):
            side["median_s"] = statistics.median(side["runs_s"])
            side["median_cpu_s"] = statistics.median(side["cpu_s"])
            side["peak_rss_kib"] = max((r for r in side["rss"] if r is not None), default=None)
    return res, peer_dir / peer_src.name, ours_json


# ----------------------------------------------------------------------------- the checks
def check_ours(pt, result_json: Path, data, exact):
    """Our plan against the exact shares: every rep within one Unit, the total and every parent exact."""
    doc = json.loads(result_json.read_text())
    unit, target = pt.UNIT, pt.TARGET
    index = {rep: i for i, (_g, _t, rep) in enumerate(data["reps"])}
    nodes = {tuple(node["path"].get(k) for k in ("Region", "Team", "Rep") if k in node["path"]): node["target"]
             for node in doc["nodes"]}
    leaves = {path: v for path, v in nodes.items() if len(path) == 3}
    members_same = sorted(leaves) == sorted(data["reps"])
    within = 0
    worst = Fraction(0)
    for (_g, _t, rep), v in leaves.items():
        miss = abs(Fraction(v) - exact["annual"][index[rep]]) if rep in index else Fraction(10 ** 18)
        worst = max(worst, miss)
        within += miss < unit
    children = defaultdict(int)
    for path, v in nodes.items():
        if path:
            children[path[:-1]] += v
    parents_off = sum(1 for path, total in children.items() if nodes.get(path) != total)
    whole_units = all(v % unit == 0 for v in nodes.values())
    periods = doc["periods"]
    out = dict(
        members_same=members_same, reps=len(leaves), reps_within_unit=within,
        max_miss_units=float(worst / unit), total=nodes.get(()), parents_off=parents_off, parents=len(children),
        whole_units=whole_units, periods=len(periods), periods_total=sum(p["target"] for p in periods),
        first_period=periods[0]["period"] if periods else None, last_period=periods[-1]["period"] if periods else None,
        leaf_totals={rep: v for (_g, _t, rep), v in leaves.items()},
    )
    out["ok"] = (members_same and within == len(data["reps"]) and out["total"] == target and parents_off == 0
                 and whole_units and out["periods_total"] == target)
    return out


def peer_row_totals(pt, path: Path, n: int):
    """The peer's recalculated Plan rows: rep, Annual (its unrounded share), row total (its rounded weeks)."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = {}
    first = pt.PLAN_FIRST_REP_ROW
    for row in wb["Plan"].iter_rows(min_row=first, max_row=first + n - 1, values_only=True):
        rows[row[pt.COL_REP - 1]] = (row[pt.COL_ANNUAL - 1], row[pt.COL_ROWTOT - 1])
    wb.close()
    return rows


def compare(pt, peer_rows, ours_leaves):
    """Per rep: the peer's row total against ours (both whole multiples of Unit), and its Annual against ours."""
    unit = pt.UNIT
    differ, worst, share_gap = 0, 0, 0.0
    for rep, ours in ours_leaves.items():
        annual, row_total = peer_rows.get(rep, (None, None))
        if not isinstance(row_total, (int, float)) or not isinstance(annual, (int, float)):
            differ += 1
            continue
        d = abs(round(row_total) - ours) // unit
        differ += d != 0
        worst = max(worst, d)
        share_gap = max(share_gap, abs(annual - ours) / unit)
    return dict(rows_differ=differ, max_row_diff_units=worst, max_annual_vs_ours_units=share_gap)


# ----------------------------------------------------------------------------- report
def fmt_s(x):
    return "–" if x is None else f"{x:.1f} s"


def fmt_ratio(rec, key="median_s"):
    p, o = rec["peer"], rec["ours"]
    if not o.get(key):
        return "–"
    if p.get(key) is not None:
        return f"{p[key] / o[key]:.1f}×"
    if key == "median_s" and "killed" in p.get("failed", ""):
        return f"≥ {p['failed_after_s'] / o[key]:.1f}×"
    return "–"


def table(pt, records):
    head = f"{'reps':>7} {'history rows':>13} {'peer median':>12} {'ours median':>12} {'peer/ours':>10} " \
           f"{'peer peak':>10} {'ours peak':>10} {'peer cpu':>9} {'ours cpu':>9} {'cpu ratio':>10} {'runs':>6}"
    lines = [head]
    for r in records:
        p, o = r["peer"], r["ours"]
        peer_med = fmt_s(p.get("median_s")) if not p.get("failed") else "not done"
        lines.append(
            f"{r['N']:>7,} {r['history_rows']:>13,} {peer_med:>12} {fmt_s(o.get('median_s')):>12} "
            f"{fmt_ratio(r):>10} {pt.fmt_mib(p.get('peak_rss_kib')):>10} {pt.fmt_mib(o.get('peak_rss_kib')):>10} "
            f"{fmt_s(p.get('median_cpu_s')):>9} {fmt_s(o.get('median_cpu_s')):>9} {fmt_ratio(r, 'median_cpu_s'):>10} "
            f"{str(len(p['runs_s'])) + '+' + str(len(o['runs_s'])):>6}")
    return lines


def plan_lines(pt, r):
    lines = []
    o, p, c = r.get("ours_check"), r.get("peer_check"), r.get("compare")
    unit = pt.UNIT
    if o:
        lines.append(
            f"  ours: total {o['total']:,} = target {'exactly' if o['total'] == pt.TARGET else 'NOT MET'}; "
            f"{o['reps_within_unit']:,} of {r['N']:,} reps within one unit of their exact share "
            f"(largest miss {o['max_miss_units']:.2f} units); "
            f"{o['parents'] - o['parents_off']} of {o['parents']} parents add up; {o['periods']} weeks "
            f"({o['first_period']} … {o['last_period']}) adding up to {o['periods_total']:,}"
            + ("" if o["ok"] else "  ✗ CHECK FAILED"))
    if p:
        lines.append(
            f"  peer: total {p['grand_total']:,.0f} = target {p['grand_miss_units']:+,.0f} units "
            f"(its check cell {p['check_cell']:+,.0f}); {p['reps_off_rounded_share']:,} of {r['N']:,} reps' weeks "
            f"miss their rounded share (by up to {p['max_rep_miss_units']} units); teams off "
            f"{p['teams_off']}/{p['teams']}, regions off {p['regions_off']}/{p['regions']}; "
            f"{pt.N_WEEKS} weeks; error cells {p['error_cells']}, uncomputed {p['uncomputed_cells']}, "
            f"cells unlike its formulas evaluated exactly {p['cells_unlike_template']}")
    if c:
        lines.append(
            f"  same: {'the same' if o and o['members_same'] else 'DIFFERENT'} {r['N']:,} reps in "
            f"{r['teams']} teams and {r['regions']} regions; the peer's Annual column is within "
            f"{c['max_annual_vs_ours_units']:.2f} units of ours; its row totals differ from ours for "
            f"{c['rows_differ']:,} reps (by up to {c['max_row_diff_units']} units of {unit})")
    return lines


def write_results(pt, args, records, header, lo_version):
    md = [
        "# Template peer race (`npm run bench`)",
        "",
        f"{dt.date.today().isoformat()}: {lo_version}; {os.cpu_count()} CPU; target {pt.TARGET:,}, unit {pt.UNIT}; "
        f"seed {args.seed}; one warm-up each, then {args.runs} timed runs each, alternating peer and ours.",
        "",
        "```",
        *header,
        "```",
        "",
    ]
    for r in records:
        p, o = r["peer"], r["ours"]
        md += [f"- {r['N']:,} reps: peer runs {[round(x, 2) for x in p['runs_s']]} s "
               f"(cpu {[round(x, 2) for x in p['cpu_s']]} s), ours {[round(x, 2) for x in o['runs_s']]} s "
               f"(cpu {[round(x, 2) for x in o['cpu_s']]} s)"]
        md += ["  " + line.strip() for line in plan_lines(pt, r)]
    (args.workdir / "peer_race.md").write_text("\n".join(md) + "\n")
    slim = []
    for r in records:
        r = dict(r)
        if r.get("ours_check"):
            r["ours_check"] = {k: v for k, v in r["ours_check"].items() if k != "leaf_totals"}
        slim.append(r)
    (args.workdir / "peer_race.json").write_text(json.dumps(slim, indent=1, default=str))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peer", type=Path, required=True, help="peer_template.py")
    ap.add_argument("--soffice", required=True)
    ap.add_argument("--node", required=True)
    ap.add_argument("--cli", required=True, help="bin/target-cascade.js")
    ap.add_argument("--workdir", type=Path, required=True)
    ap.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each after one warm-up (median reported)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds before a run is killed")
    ap.add_argument("--seed", type=int, default=20270101)
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    pt = load_peer(args.peer)
    args.workdir.mkdir(parents=True, exist_ok=True)
    lo_version = subprocess.run([args.soffice, "--version"], capture_output=True, text=True).stdout.strip()
    profile = pt.make_profile(args.workdir, "always", pt.RECALC_ALWAYS)
    profile_never = pt.make_profile(args.workdir, "never", pt.RECALC_NEVER)
    print(f"Template peer race: the hand-made SUMIFS/ROUND template recalculated by LibreOffice against "
          f"`target-cascade plan`, the same organisation and 36 months of history, target {pt.TARGET:,}, "
          f"unit {pt.UNIT}, Week grain over {pt.PLAN_YEAR} ({lo_version or 'soffice'})", flush=True)

    records, failed = [], False
    for n in args.sizes:
        print(f"\n{n:,} reps", flush=True)
        peer_src, ours_src, data, meta = build(pt, args.peer, args.workdir, n, args.seed)
        exact = pt.exact_plan(data)
        rec = dict(N=n, history_rows=meta["history_rows"], formula_cells=meta["formula_cells"],
                   teams=len({t for _g, t, _r in data["reps"]}), regions=len({g for g, _t, _r in data["reps"]}))
        res, peer_out, ours_json = race(pt, args, args.soffice, profile, peer_src, ours_src, n)
        rec.update(res)
        if res["ours"].get("failed"):
            failed = True
        elif ours_json.exists():
            rec["ours_check"] = check_ours(pt, ours_json, data, exact)
            failed |= not rec["ours_check"]["ok"]
        if not res["peer"].get("failed") and peer_out.exists():
            rec["peer_check"] = pt.read_back(peer_out, data, exact)
            if not records:
                rec["selftest"] = pt.recalc_self_test(args.soffice, {"always": profile, "never": profile_never},
                                                      peer_out, args.workdir, args.timeout)
                print(f"  LibreOffice recalculates on this profile (self-test): {rec['selftest']}", flush=True)
            if rec.get("ours_check"):
                rec["compare"] = compare(pt, peer_row_totals(pt, peer_out, n), rec["ours_check"]["leaf_totals"])
        for line in plan_lines(pt, rec):
            print(line, flush=True)
        records.append(rec)

    header = table(pt, records)
    print("\nTemplate peer against target-cascade plan (median wall time, peak RSS, median CPU time "
          "user + system; ratios = peer ÷ ours)")
    for line in header:
        print(line)
    goal = next((r for r in records if r["N"] == 5000), None)
    if goal:
        print(f"   issue goal at 5,000 reps: ours ≥ 10× faster than the peer; measured {fmt_ratio(goal)}")
    write_results(pt, args, records, header, lo_version)
    print(f"   runs and checks: {args.workdir / 'peer_race.md'}")
    if failed:
        print("   ✗ our command line failed or its plan failed a check (above)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
