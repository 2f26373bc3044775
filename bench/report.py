"""The reports of bench/driver.py: the machine's description, the text table, the markdown
report and the gnuplot chart."""

import datetime
import os
import platform
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

SCENARIO_TITLES = {
    "S1": "S1 post-burst: post 1,000,000 zero-delay callbacks on one thread, then run until idle",
    "S2": "S2 post-chain: each callback posts the next, 1,000,000 in total",
    "S3a": "S3a timers, increasing deadlines (1 ms more every 1000 timers, 1..1000 ms), "
           "1,000,000 timers",
    "S3b": "S3b timers, uniform random deadlines in [0, 1 s), 1,000,000 timers",
    "S3c": "S3c timer churn: arm 1,000,000 at random 1..10 s, cancel a random 90 % "
           "(only arming and cancelling are timed)",
    "S4": "S4 cross-thread post: a producer on CPU 0 posts 1,000,000 callbacks to a loop on CPU 1",
    "S5": "S5 cross-thread ping-pong (event signal and wait), side A on CPU 0, side B on CPU 1",
    "S5same": "S5same cross-thread ping-pong, both threads on CPU 0",
    "S6": "S6 fd ping-pong: 1-byte messages over a socketpair, side A on CPU 0, side B on CPU 1",
    "S6same": "S6same fd ping-pong, both threads on CPU 0",
    "S7": "S7 the floor: single system calls and the clock (single thread)",
}
SCENARIOS = list(SCENARIO_TITLES)
SYSTEMS = ["portloop-c", "portloop-cpp", "libuv", "libevent", "asio", "floor"]
METRIC_TITLES = {
    "time": "ns/op",
    "round_trip": "ns/round trip",
    "call": "ns/call",
    "arm": "arm ns/timer",
    "fire_all_minus_last_deadline": "fire all - last deadline, ms",
    "last_late_by": "last callback late by, ms",
    "arm_cancel": "arm+cancel ns/timer",
    "cancel": "cancel ns/cancel",
}
CHART_SCENARIOS = ["S1", "S2", "S3a", "S3b", "S3c", "S4", "S5", "S5same", "S6", "S6same"]


def _run(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=20).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def _read(path):
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""


def _cpuinfo():
    fields = {}
    for line in _read("/proc/cpuinfo").splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    return fields


def _cmake_cache(build_dir, key):
    match = re.search(rf"^{re.escape(key)}:[A-Z]+=(.*)$",
                      _read(Path(build_dir) / "CMakeCache.txt"), re.M)
    return match.group(1) if match else ""


def _deb_version(package):
    return _run(["dpkg-query", "-W", "-f=${Version}", package]) or "not installed"


def describe_machine(build_dir):
    """Returns [(what, description)] for the report's header."""
    cpu = _cpuinfo()
    flags = cpu.get("flags", "").split()
    cpu_text = (f"{cpu.get('model name', platform.processor())}, family {cpu.get('cpu family', '?')}"
                f" model {cpu.get('model', '?')}, {os.cpu_count()} CPUs online")
    if "hypervisor" in flags:
        cpu_text += " (virtual machine)"
    memory = re.search(r"MemTotal:\s+(\d+)", _read("/proc/meminfo"))
    idle = _read("/sys/devices/system/cpu/cpuidle/current_driver") or "none"
    halt_poll = _read("/sys/module/haltpoll/parameters/guest_halt_poll_ns")
    os_name = re.search(r'^PRETTY_NAME="?([^"\n]*)', _read("/etc/os-release"), re.M)
    compiler = _cmake_cache(build_dir, "CMAKE_CXX_COMPILER")
    build_type = _cmake_cache(build_dir, "CMAKE_BUILD_TYPE")
    flags_var = _cmake_cache(build_dir, f"CMAKE_CXX_FLAGS_{build_type.upper()}")
    boost = re.search(r'BOOST_LIB_VERSION "([^"]+)"', _read("/usr/include/boost/version.hpp"))
    asio = re.search(r"BOOST_ASIO_VERSION (\d+)", _read("/usr/include/boost/asio/version.hpp"))
    asio_text = ""
    if asio:
        number = int(asio.group(1))
        asio_text = f"Asio {number // 100000}.{number // 100 % 1000}.{number % 100}, "
    root = Path(__file__).resolve().parent.parent
    commit = _run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"])
    if _run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"]):
        commit += " (with uncommitted changes)"
    return [
        ("Date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", cpu_text),
        ("Memory", f"{int(memory.group(1)) / 1048576:.1f} GiB" if memory else "?"),
        ("Kernel", f"Linux {platform.release()} ({platform.version()})"),
        ("Idle", f"cpuidle driver {idle}" + (f", guest_halt_poll_ns={halt_poll}"
                                             if halt_poll else "")),
        ("OS / libc", f"{os_name.group(1) if os_name else '?'}, "
                      f"glibc {platform.libc_ver()[1] or '?'}"),
        ("Compiler", f"{_run([compiler, '--version']).splitlines()[0] if compiler else '?'}, "
                     f"{build_type} ({flags_var.strip()})"),
        ("portloop", f"commit {commit or '?'}"),
        ("libuv", f"{_run(['pkg-config', '--modversion', 'libuv']) or '?'} "
                  f"(Debian libuv1-dev {_deb_version('libuv1-dev')})"),
        ("libevent", f"{_run(['pkg-config', '--modversion', 'libevent']) or '?'} "
                     f"(Debian libevent-dev {_deb_version('libevent-dev')})"),
        ("Boost.Asio", f"{asio_text}Boost {boost.group(1).replace('_', '.') if boost else '?'} "
                       f"(Debian libboost-dev {_deb_version('libboost-dev')}), header-only"),
        ("Google Benchmark", _deb_version("libbenchmark-dev")),
    ]


def fmt(value):
    """Three significant digits or so, with thousands separators, like peer-numbers.md."""
    if value is None:
        return "-"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 0.01 or magnitude == 0:
        return f"{value:.2f}"
    return f"{value:.3f}"


def fmt_allocs(value):
    return "-" if value is None else f"{value:.2f}"


def fmt_ratio(value):
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}x"
    if value >= 10:
        return f"{value:.1f}x"
    return f"{value:.2f}x"


def _spread(record):
    return f"{fmt(record['median'])} ({fmt(record['min'])} - {fmt(record['max'])})"


def _cases(records, scenario):
    """Returns [(primary record, [secondary records])] of `scenario`, in system order."""
    primary = [r for r in records if r["scenario"] == scenario and r["primary"]]
    order = {s: i for i, s in enumerate(SYSTEMS)}
    primary.sort(key=lambda r: (order.get(r["system"], 99), r["median"]))
    cases = []
    for record in primary:
        others = [r for r in records if r["scenario"] == scenario and not r["primary"]
                  and r["system"] == record["system"] and r["variant"] == record["variant"]]
        cases.append((record, others))
    return cases


def _metric_titles(records, scenario):
    metrics = []
    for r in records:
        if r["scenario"] == scenario and r["metric"] not in metrics:
            metrics.append(r["metric"])
    return metrics


def text_table(records):
    lines = []
    for scenario in SCENARIOS:
        cases = _cases(records, scenario)
        if not cases:
            continue
        metrics = _metric_titles(records, scenario)
        lines.append("")
        lines.append(SCENARIO_TITLES[scenario])
        header = ["system", "variant"] + [METRIC_TITLES[m] + ": median (min - max)"
                                          for m in metrics]
        header += ["allocs/op", "RSS MB", "x floor", "x best peer"]
        rows = [header]
        for record, others in cases:
            by_metric = {r["metric"]: r for r in [record] + others}
            variant = record["variant"] + (" *" if record["best"] else "")
            row = [record["system"], variant] + [_spread(by_metric[m]) if m in by_metric else "-"
                                                 for m in metrics]
            row += [fmt_allocs(record["allocs_per_op"]), fmt(record["peak_rss_mb"]),
                    fmt_ratio(record.get("ratio_to_floor")),
                    fmt_ratio(record.get("ratio_to_best_peer"))]
            rows.append(row)
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for row in rows:
            lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
    lines.append("")
    lines.append("* = the system's fastest variant; ratios are medians over the floor reference "
                 "and over the fastest peer (bench/README.md).")
    return "\n".join(lines)


def _best(records, scenario, system, metric=None):
    """The record of `system`'s fastest variant in `scenario` (by the primary metric), for
    `metric` (default: the primary one)."""
    return next((r for r in records if r["scenario"] == scenario and r["system"] == system
                 and r["best"] and (r["primary"] if metric is None else r["metric"] == metric)),
                None)


def _summary(records):
    lines = ["| scenario | portloop-c | portloop-cpp | fastest peer | floor reference |",
             "|---|---:|---:|---|---|"]
    for scenario in SCENARIOS[:-1]:
        primary = [r for r in records if r["scenario"] == scenario and r["primary"]]
        if not primary:
            continue
        cells = []
        for system in ["portloop-c", "portloop-cpp"]:
            best = _best(records, scenario, system)
            if best is None:
                cells.append("-")
            else:
                cells.append(f"**{fmt(best['median'])}** ({best['variant']}): "
                             f"{fmt_ratio(best.get('ratio_to_best_peer'))} peer, "
                             f"{fmt_ratio(best.get('ratio_to_floor'))} floor")
        peers = [r for r in primary if r["system"] in ("libuv", "libevent", "asio") and r["best"]]
        peer = min(peers, key=lambda r: r["median"]) if peers else None
        floor = next((r for r in primary if r.get("floor_reference")), None)
        peer_text = f"{peer['system']} {peer['variant']}: {fmt(peer['median'])}" if peer else "-"
        floor_text = f"{floor['variant']}: {fmt(floor['median'])}" if floor else "-"
        lines.append(f"| {scenario} {METRIC_TITLES[primary[0]['metric']]} | {cells[0]} | "
                     f"{cells[1]} | {peer_text} | {floor_text} |")
        if scenario in ("S3a", "S3b"):
            lines.append(_lateness_row(records, scenario))
    return "\n".join(lines)


def _lateness_row(records, scenario):
    """How late the last timer fired, for each system's fastest-arming variant: absolute
    values, since ratios of near-zero latenesses mean little."""
    metric = "fire_all_minus_last_deadline"
    cells = []
    for system in ["portloop-c", "portloop-cpp"]:
        record = _best(records, scenario, system, metric)
        cells.append(f"**{fmt(record['median'])}**" if record else "-")
    peers = [r for r in (_best(records, scenario, p, metric) for p in ("libuv", "libevent", "asio"))
             if r is not None]
    peer = min(peers, key=lambda r: r["median"]) if peers else None
    floor = next((r for r in records if r["scenario"] == scenario and r["metric"] == metric
                  and r.get("floor_reference")), None)
    peer_text = f"{peer['system']} {peer['variant']}: {fmt(peer['median'])}" if peer else "-"
    floor_text = f"{floor['variant']}: {fmt(floor['median'])}" if floor else "-"
    return (f"| {scenario} {METRIC_TITLES[metric]} | {cells[0]} | {cells[1]} | {peer_text} | "
            f"{floor_text} |")


def markdown(records, machine, run_info, chart_name):
    sizes = run_info["sizes"]
    out = ["# portloop beside libuv, libevent, Boost.Asio and the raw floor", "",
           "Written by `bench/run`; see bench/README.md for what each scenario measures and how "
           "to read the ratios. Compare ratios within one run, not absolute numbers across "
           "machines.", "", "## Machine and software", "", "| | |", "|---|---|"]
    out += [f"| {what} | {text} |" for what, text in machine]
    failures = run_info["failures"]
    out += ["", "## Run", "",
            f"- Mode: {run_info['mode']}; {run_info['runs']} runs per case"
            + ("" if run_info["runs"] == run_info["runs_planned"] else
               f" (of {run_info['runs_planned']} planned: quick mode's time budget ran out)")
            + ", each a separate process, interleaved (every case of run 1, then run 2, ...).",
            f"- Sizes: {sizes['ops']:,} posts (S1, S2, S4), {sizes['timers']:,} timers (S3), "
            f"{sizes['round_trips']:,} round trips (S5, S6), {sizes['calls']:,} calls "
            f"(S7; ten times as many clock reads).",
            f"- Load average when the run started: {run_info['load_at_start']:.2f}; "
            f"wall time {run_info['wall_s']:.0f} s.",
            "- Failed runs: " + ("none" if not failures else
                                 "; ".join(f"{n}: {e[0]}" for n, e in failures.items())),
            "", "## Summary: portloop's fastest variant, as ratios to the fastest peer and to "
            "the floor", "", _summary(records), ""]
    if chart_name:
        out += [f"![portloop, the peers and the floor per scenario, as ratios to the floor]"
                f"({chart_name})", ""]
    out += ["## Results", "",
            "Median of the runs (min - max). **Bold** variant: the system's fastest. "
            "x floor and x best peer: this median over the floor reference's and over the "
            "fastest peer's.", ""]
    for scenario in SCENARIOS:
        cases = _cases(records, scenario)
        if not cases:
            continue
        metrics = _metric_titles(records, scenario)
        out += [f"### {SCENARIO_TITLES[scenario]}", ""]
        header = ["system", "variant"] + [METRIC_TITLES[m] for m in metrics]
        header += ["allocs/op", "peak RSS MB", "x floor", "x best peer", "runs"]
        out.append("| " + " | ".join(header) + " |")
        out.append("|---|---|" + "---:|" * (len(header) - 2))
        for record, others in cases:
            by_metric = {r["metric"]: r for r in [record] + others}
            variant = f"{record['variant']}: {record['label']}".replace("|", "\\|")
            if record["best"]:
                variant = f"**{variant}**"
            if record.get("floor_reference"):
                variant += " (floor reference)"
            row = [record["system"], variant] + [_spread(by_metric[m]) if m in by_metric else "-"
                                                 for m in metrics]
            row += [fmt_allocs(record["allocs_per_op"]), fmt(record["peak_rss_mb"]),
                    fmt_ratio(record.get("ratio_to_floor")),
                    fmt_ratio(record.get("ratio_to_best_peer")), str(record["runs"])]
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    return "\n".join(out)


def draw_chart(records, png_path, subtitle=""):
    """Draws each system's fastest variant per scenario as its ratio to the floor reference,
    with gnuplot. Returns False if gnuplot is missing or fails."""
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        print("bench: gnuplot not found (Debian: gnuplot-nox); no chart")
        return False
    rows = []
    for scenario in CHART_SCENARIOS:
        primary = [r for r in records if r["scenario"] == scenario and r["primary"]]
        if not primary:
            continue
        cells = []
        for system in SYSTEMS:
            if system == "floor":
                record = next((r for r in primary if r.get("floor_reference")), None)
            else:
                record = next((r for r in primary if r["system"] == system and r["best"]), None)
            ratio = record.get("ratio_to_floor") if record else None
            cells.append(f"{ratio:.4g}" if ratio else "?")
        name = {"S3a": "S3a arm", "S3b": "S3b arm", "S3c": "S3c arm+cancel"}.get(scenario,
                                                                                 scenario)
        rows.append(f'"{name}"\t' + "\t".join(cells))
    if not rows:
        return False
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "ratios.dat"
        data.write_text("\n".join(rows) + "\n")
        columns = ", ".join(f"'' using {i + 2} title '{system}'" if i else
                            f"'{data}' using 2:xtic(1) title '{system}'"
                            for i, system in enumerate(SYSTEMS))
        script = f"""
set terminal pngcairo size 1400,700 font ",11"
set output '{png_path}'
set title "Median per scenario over the floor reference (fastest variant of each system; lower is better)\\n{subtitle}"
set datafile missing "?"
set datafile separator "\\t"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [0.1:*]
set format y "%gx"
set ylabel "ratio to the floor (log scale)"
set grid ytics
set key top left horizontal
set arrow from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 linecolor rgb "black"
plot {columns}
"""
        result = subprocess.run([gnuplot], input=script, capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            print(f"bench: gnuplot failed: {result.stderr.strip()}")
            return False
    return True
