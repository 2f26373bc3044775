#!/usr/bin/env python3
"""Runs the scenario benchmarks and aggregates them (called by bench/run; see bench/README.md).

Every case ("S1/libuv/idle") is a Google Benchmark in one of the *_scenarios_bench executables.
Each run of a case is its own process, and runs are interleaved: run 1 of every case, then run 2,
and so on. The medians, minima and maxima over the runs go to a JSON array of records, a table on
stdout, a markdown report and a PNG chart (see report.py).
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402  (beside this file)

SCENARIOS = ["S1", "S2", "S3a", "S3b", "S3c", "S4", "S5", "S5same", "S6", "S6same", "S7"]
SYSTEMS = ["portloop-c", "portloop-cpp", "libuv", "libevent", "asio", "floor"]
PEERS = ["libuv", "libevent", "asio"]
PORTLOOP = ["portloop-c", "portloop-cpp"]
EXECUTABLES = ["portloop", "libuv", "libevent", "asio", "floor"]

# Per scenario: its metrics as (counter, unit, name); the first is the primary one, which picks
# each system's best variant and the ratios.
PER_OP = [("ns_per_op", "ns/op", "time")]
ROUND_TRIP = [("ns_per_op", "ns/round trip", "round_trip")]
METRICS = {
    "S1": PER_OP,
    "S2": PER_OP,
    "S3a": [("arm_ns", "ns/timer", "arm"), ("fire_late_ms", "ms", "fire_all_minus_last_deadline"),
            ("late_by_ms", "ms", "last_late_by")],
    "S3b": [("arm_ns", "ns/timer", "arm"), ("fire_late_ms", "ms", "fire_all_minus_last_deadline"),
            ("late_by_ms", "ms", "last_late_by")],
    "S3c": [("arm_cancel_ns", "ns/timer", "arm_cancel"), ("arm_ns", "ns/timer", "arm"),
            ("cancel_ns", "ns/cancel", "cancel")],
    "S4": PER_OP,
    "S5": ROUND_TRIP,
    "S5same": ROUND_TRIP,
    "S6": ROUND_TRIP,
    "S6same": ROUND_TRIP,
    "S7": [("ns_per_op", "ns/call", "call")],
}

# The floor variant each scenario's ratios are taken against (the targets).
FLOOR_REFERENCE = {
    "S1": "fifo",
    "S2": "fifo",
    "S3a": "binary_heap",
    "S3b": "binary_heap",
    "S3c": "indexed_heap",
    "S4": "mpsc_eventfd",
    "S5": "eventfd",
    "S5same": "eventfd",
    "S6": "epoll",
    "S6same": "epoll",
}

FULL = {"runs": 5, "sizes": {"ops": 1_000_000, "timers": 1_000_000, "round_trips": 10_000,
                             "calls": 200_000}}
# Quick mode must end within 3 minutes on 2 cores, build check included; the driver's budget
# leaves room for that and for the reports.
QUICK_BUDGET_S = 160
QUICK = {"runs": 3, "sizes": {"ops": 1_000_000, "timers": 1_000_000, "round_trips": 2_000,
                              "calls": 100_000}}

CASE_TIMEOUT_S = 180


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True, help="the CMake build directory")
    parser.add_argument("--quick", action="store_true",
                        help="3 runs and fewer round trips (about 3 minutes on 2 cores)")
    parser.add_argument("--json", default=None,
                        help="where to write the JSON records (default bench/results/latest.json);"
                             " the .md and .png reports go beside it")
    parser.add_argument("--runs", type=int, default=None, help="runs per case")
    parser.add_argument("--filter", default=None, help="only cases whose name matches this regex")
    parser.add_argument("--no-chart", action="store_true", help="do not draw the PNG chart")
    return parser.parse_args(argv)


def find_executables(build_dir):
    found = {}
    for system in EXECUTABLES:
        path = Path(build_dir) / "bench" / f"{system}_scenarios_bench"
        if path.exists():
            found[system] = path
        else:
            print(f"bench: {path} is missing; its cases are skipped", file=sys.stderr)
    return found


def list_cases(executables, pattern):
    cases = []
    for executable in executables.values():
        out = subprocess.run([str(executable), "--benchmark_list_tests"], check=True,
                             capture_output=True, text=True).stdout
        for line in out.split():
            name = line.rsplit("/iterations:", 1)[0]
            if pattern is None or re.search(pattern, name):
                cases.append((name, executable))
    order = {s: i for i, s in enumerate(SCENARIOS)}
    system_order = {s: i for i, s in enumerate(SYSTEMS)}
    cases.sort(key=lambda c: (order.get(c[0].split("/")[0], 99),
                              system_order.get(c[0].split("/")[1], 99), c[0]))
    return cases


def run_case(name, executable, sizes):
    """Runs one case in its own process; returns (counters, label) or raises RuntimeError."""
    # Google Benchmark compiles the filter as a POSIX extended regex, which rejects escapes such
    # as Python's "\\-": escape only the characters special there.
    escaped = re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", name)
    command = [str(executable), f"--benchmark_filter=^{escaped}/iterations:1$",
               "--benchmark_format=json"] + [f"--{key}={value}" for key, value in sizes.items()]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=CASE_TIMEOUT_S)
    except subprocess.TimeoutExpired as error:
        raise RuntimeError(f"timed out after {CASE_TIMEOUT_S} s") from error
    if result.returncode != 0:
        raise RuntimeError(f"exit status {result.returncode}: {result.stderr.strip()[-300:]}")
    benchmarks = json.loads(result.stdout).get("benchmarks", [])
    if len(benchmarks) != 1:
        raise RuntimeError(f"expected one benchmark, got {len(benchmarks)}")
    entry = benchmarks[0]
    if entry.get("error_occurred"):
        raise RuntimeError(entry.get("error_message", "error"))
    return entry, entry.get("label", "")


def run_all(cases, runs, sizes, budget_s):
    """Runs every case `runs` times, interleaved, but starts no further run once the next one
    would likely end after `budget_s` seconds (None: no budget).

    Returns ({name: {"label": str, "runs": [entry, ...], "errors": [str, ...]}}, runs done).
    """
    results = {name: {"label": "", "runs": [], "errors": []} for name, _ in cases}
    started = last_started = time.monotonic()
    done = 0
    for run in range(1, runs + 1):
        run_started = time.monotonic()
        if budget_s is not None and run > 1:
            last_run_s = run_started - last_started
            if run_started - started + last_run_s > budget_s:
                print(f"bench: stopping after {done} runs: another would end past the "
                      f"{budget_s:.0f} s budget of quick mode (the machine is slow or busy)",
                      file=sys.stderr)
                break
        last_started = run_started
        for index, (name, executable) in enumerate(cases, 1):
            if sys.stderr.isatty():
                print(f"\r\033[Krun {run}/{runs}, case {index}/{len(cases)}: {name}", end="",
                      file=sys.stderr, flush=True)
            elif index == 1:
                print(f"bench: run {run}/{runs} of {len(cases)} cases", file=sys.stderr,
                      flush=True)
            try:
                entry, label = run_case(name, executable, sizes)
                results[name]["runs"].append(entry)
                results[name]["label"] = label
            except (RuntimeError, json.JSONDecodeError) as error:
                results[name]["errors"].append(str(error))
                newline = "\n" if sys.stderr.isatty() else ""
                print(f"{newline}bench: {name} run {run} failed: {error}", file=sys.stderr)
        done = run
    clear_line = "\r\033[K" if sys.stderr.isatty() else ""
    print(f"{clear_line}bench: {done} runs of {len(cases)} cases in "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    return results, done


def summarise(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def aggregate(results):
    """Builds the JSON records: one per (case, metric) with at least one good run."""
    records = []
    for name, result in results.items():
        if not result["runs"]:
            continue
        scenario, system, variant = name.split("/", 2)
        allocs = [r["allocs_per_op"] for r in result["runs"] if "allocs_per_op" in r]
        rss = [r["peak_rss_mb"] for r in result["runs"] if "peak_rss_mb" in r]
        for position, (counter, unit, metric) in enumerate(METRICS[scenario]):
            values = [r[counter] for r in result["runs"] if counter in r]
            if not values:
                continue
            record = {"scenario": scenario, "system": system, "variant": variant,
                      "metric": metric, "primary": position == 0, "unit": unit,
                      **summarise(values), "runs": len(values),
                      "allocs_per_op": statistics.median(allocs) if allocs else None,
                      "peak_rss_mb": statistics.median(rss) if rss else None,
                      "label": result["label"]}
            if scenario == "S7":
                record["detail"] = result["label"]
            if system == "floor" and FLOOR_REFERENCE.get(scenario) == variant:
                record["floor_reference"] = True
            records.append(record)
    mark_best_and_ratios(records)
    return records


def mark_best_and_ratios(records):
    primary = [r for r in records if r["primary"]]
    best_variant = {}
    for r in primary:
        key = (r["scenario"], r["system"])
        if key not in best_variant or r["median"] < best_variant[key]["median"]:
            best_variant[key] = r
    for r in records:
        r["best"] = best_variant.get((r["scenario"], r["system"]), {}).get("variant") == r["variant"]
    for scenario in SCENARIOS:
        floor = next((r for r in primary if r["scenario"] == scenario and r.get("floor_reference")),
                     None)
        peers = [best_variant[(scenario, p)] for p in PEERS if (scenario, p) in best_variant]
        best_peer = min(peers, key=lambda r: r["median"]) if peers else None
        for r in primary:
            if r["scenario"] != scenario:
                continue
            if floor is not None and floor["median"] > 0:
                r["ratio_to_floor"] = r["median"] / floor["median"]
            if best_peer is not None and best_peer["median"] > 0:
                r["ratio_to_best_peer"] = r["median"] / best_peer["median"]
                r["best_peer"] = f"{best_peer['system']}/{best_peer['variant']}"


def main(argv):
    args = parse_args(argv)
    mode = QUICK if args.quick else FULL
    runs = args.runs or mode["runs"]
    sizes = mode["sizes"]
    root = Path(__file__).resolve().parent
    json_path = Path(args.json) if args.json else root / "results" / "latest.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    machine = report.describe_machine(args.build_dir)
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"bench: load average is {load:.2f}: other work may disturb the numbers",
              file=sys.stderr)
    executables = find_executables(args.build_dir)
    cases = list_cases(executables, args.filter)
    if not cases:
        print("bench: no case to run", file=sys.stderr)
        return 1
    results, runs_done = run_all(cases, runs, sizes, QUICK_BUDGET_S if args.quick else None)
    records = aggregate(results)
    failures = {name: r["errors"] for name, r in results.items() if r["errors"]}

    json_path.write_text(json.dumps(records, indent=1) + "\n")
    run_info = {"mode": "quick" if args.quick else "full", "runs": runs_done,
                "runs_planned": runs, "sizes": sizes,
                "load_at_start": load, "failures": failures,
                "wall_s": time.monotonic() - started}
    print(report.text_table(records))
    md_path = json_path.with_suffix(".md")
    png_path = json_path.with_suffix(".png")
    chart_ok = False
    if not args.no_chart:
        facts = dict(machine)
        subtitle = f"{facts['CPU']}; Linux {platform.release()}; {facts['Date']}"
        chart_ok = report.draw_chart(records, png_path, subtitle.replace('"', "'"))
    md_path.write_text(report.markdown(records, machine, run_info,
                                       png_path.name if chart_ok else None))
    print(f"bench: wrote {json_path}, {md_path}" + (f", {png_path}" if chart_ok else ""),
          file=sys.stderr)
    if failures:
        print(f"bench: {len(failures)} case(s) had failed runs: {', '.join(failures)}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
