"""Run the benchmark: generate the organisation (and a 100× smaller reference one), run every
scenario in a process per database, and report each figure against its physical limit.

    python -m bench.run --scale full     # writes bench/results.json and bench/RESULTS.md
    python -m bench.run --scale small    # writes bench/out/ (git-ignored); used by CI
    python -m bench.run --scale full --reuse   # skip generation when the databases exist

Timings are reported, never asserted: the exit status is non-zero only when the benchmark
itself cannot run (no PostgreSQL, a scenario crashed).
"""

import argparse
import json
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import REFERENCE, SCALES, _connect, database_url, generate, require_postgres
from bench.scenarios.timing import summary

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
RUNS = {"xl": 5, "full": 7, "small": 3, "tiny": 3}
P50_ROUNDS = 4


def _exists(url: str) -> bool:
    try:
        with _connect(url) as conn:
            return conn.execute("SELECT count(*) FROM metrics_observation").fetchone()[0] > 0
    except Exception:  # noqa: BLE001 - missing database or tables: generate it
        return False


def _measure(url: str, out: Path, runs: int, only: str | None = None) -> dict:
    command = [
        sys.executable,
        "-m",
        "bench.scenarios.runner",
        "--database-url",
        url,
        "--out",
        str(out),
        "--runs",
        str(runs),
        "--warmup",
        "2" if runs > 3 else "1",
    ]
    if only:
        command += ["--only", only]
    subprocess.run(command, check=True, cwd=BENCH.parent, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text())


def _alternating_p50(urls: dict, runs: int) -> tuple[dict, dict]:
    """Short p50 runs on the reference and the main database in turn; samples pooled."""
    pooled = {"main": [], "reference": []}
    for n in range(P50_ROUNDS):
        for role in ("reference", "main"):
            out = OUT / f"p50_{role}_{n}.json"
            pooled[role].append(_measure(urls[role], out, runs, only="p50")["p50"])
    return tuple(_pool(pooled[role]) for role in ("main", "reference"))


def _pool(results: list[dict]) -> dict:
    failed = [r for r in results if r.get("status") != "ok"]
    if failed:
        return failed[0]
    pooled = {"status": "ok", "rounds": len(results)}
    pooled["observation_rows"] = results[-1]["observation_rows"]
    for key in ("first_page", "deep_page", "slowest_ordering"):
        if all(key in r for r in results):
            pooled[key] = summary([x for r in results for x in r[key]["samples_ms"]])
    if "slowest_ordering" in pooled:
        pooled["slowest_ordering"]["path"] = results[-1]["slowest_ordering"]["path"]
    return pooled


def _ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


def _row(scenario, figure, value, limit_label, limit, ratio, target, met, note=""):
    return {
        "scenario": scenario,
        "figure": figure,
        "value": value,
        "limit": limit_label,
        "limit_value": limit,
        "ratio": ratio,
        "target": target,
        "met": met,
        "note": note,
    }


def _unavailable(scenario, result):
    return [
        _row(
            scenario, result.get("status"), None, "", None, None, "", None, result.get("reason", "")
        )
    ]


def _ms(t):
    return f"{t['median_ms']:.1f} ms ({t['min_ms']:.1f}–{t['max_ms']:.1f})"


def rows_dashboard(r):
    ratio = _ratio(r["page"]["median_ms"], r["from_scratch"]["median_ms"])
    return [
        _row(
            "1 portfolio dashboard",
            "GET /portfolio/ " + _ms(r["page"]),
            r["page"],
            "raw SQL from scratch " + _ms(r["from_scratch"]),
            r["from_scratch"],
            ratio,
            "≤ 0.25×",
            ratio is not None and ratio <= 0.25,
            f"{r['pilots']} pilots; rollup refresh {r['refresh_ms']:.0f} ms",
        )
    ]


def rows_rollups(r):
    ratio = _ratio(r["incremental"]["median_ms"], r["full"]["median_ms"])
    return [
        _row(
            "1b rollup refresh after a 10k-row ingest",
            "incremental refresh " + _ms(r["incremental"]),
            r["incremental"],
            "full rebuild " + _ms(r["full"]),
            r["full"],
            ratio,
            "≤ 0.05×, equal to the rebuild",
            ratio is not None and ratio <= 0.05 and r["equal_to_full_rebuild"],
            f"{r['rows_per_ingest']:,} outcome rows per ingest; cells recomputed "
            f"{r['cells_per_refresh']}; equal to a full rebuild: {r['equal_to_full_rebuild']}",
        )
    ]


def rows_chart(r):
    endpoint = r["endpoint"]["median_ms"]
    vs_facts = _ratio(endpoint, r["facts_sql"]["median_ms"])
    vs_rollup = _ratio(endpoint, r["raw_sql"]["median_ms"])
    vs_pandas = _ratio(endpoint, r["pandas"]["median_ms"])
    figure = f"GET value-vs-efficiency (pilot {r['pilot']}) " + _ms(r["endpoint"])
    return [
        _row(
            "2 value-vs-efficiency",
            figure,
            r["endpoint"],
            "raw SQL, same series from the facts " + _ms(r["facts_sql"]),
            r["facts_sql"],
            vs_facts,
            "≤ 1.5×",
            vs_facts is not None and vs_facts <= 1.5,
            f"{r['fact_rows']} fact rows → {r['series_rows']} months",
        ),
        _row(
            "2 value-vs-efficiency",
            figure,
            r["endpoint"],
            "raw SQL reading the rollups " + _ms(r["raw_sql"]),
            r["raw_sql"],
            vs_rollup,
            "(information)",
            None,
            "the rows the endpoint reads; HTTP+DRF fixed cost dominates",
        ),
        _row(
            "2 value-vs-efficiency",
            figure,
            r["endpoint"],
            "pandas from CSV " + _ms(r["pandas"]),
            r["pandas"],
            vs_pandas,
            "< 1×",
            vs_pandas is not None and vs_pandas < 1,
            "read_csv + groupby + cumsum",
        ),
        *_floor_row(r, figure),
    ]


def _floor_row(r, figure):
    if "api_floor" not in r:
        return []
    rows = []
    if "bare_drf" in r:
        ratio = _ratio(r["api_floor"]["median_ms"], r["bare_drf"]["median_ms"])
        rows.append(
            _row(
                "2 API fixed cost",
                "authenticated 404 (token, scope, throttle, one query) " + _ms(r["api_floor"]),
                r["api_floor"],
                "bare DRF view, no authentication, same 404 and client " + _ms(r["bare_drf"]),
                r["bare_drf"],
                ratio,
                "≤ 1.5×",
                ratio is not None and ratio <= 1.5,
                "each sample the mean of 20 requests, the three taking turns",
            )
        )
    return rows + [
        _row(
            "2 value-vs-efficiency",
            figure,
            r["endpoint"],
            "any authenticated API request (404 after one query) " + _ms(r["api_floor"]),
            r["api_floor"],
            _ratio(r["endpoint"]["median_ms"], r["api_floor"]["median_ms"]),
            "(information)",
            None,
            "token, throttle, middleware and one query: the part no endpoint avoids",
        )
    ]


def rows_effect(r):
    ratio = _ratio(r["effect"]["median_ms"], r["page"]["median_ms"])
    groups, weeks = r["groups"], r["weeks"]
    return [
        _row(
            "effect vs comparison",
            "pilot_effect with randomisation " + _ms(r["effect"]),
            r["effect"],
            "pilot page without it " + _ms(r["page"]),
            r["page"],
            ratio,
            "≤ 0.5×",
            ratio is not None and ratio <= 0.5,
            f"{groups[0]} + {groups[1]} workgroups, {weeks[0]} + {weeks[1]} weeks, "
            f"{r['relabellings']} {r['p_value_method']} relabellings; page with it "
            + _ms(r["page_with_evidence"]),
        )
    ]


def rows_ingest(r):
    """Ingest against COPY of the same rows into metrics_observation itself, with its indexes
    (the physical limit of landing those rows in that table); COPY into an index-free scratch
    table is shown for information: index maintenance alone costs more than 4× it."""
    seconds = r["first"]["median_ms"] / 1000
    rate = round(r["batch_rows"] / seconds)
    resend = _ratio(r["resend"]["median_ms"], r["first"]["median_ms"])
    added = sum(r["added_on_resend"])
    real = r["copy_into_observations"]
    real_rate = round(r["batch_rows"] / (real["median_ms"] / 1000))
    ratio = _ratio(rate, real_rate)
    scratch_rate = round(r["batch_rows"] / (r["copy"]["median_ms"] / 1000))
    figure = f"{rate:,} rows/s (10k batch {_ms(r['first'])})"
    return [
        _row(
            "3 observations/bulk",
            figure,
            rate,
            f"COPY into metrics_observation itself {real_rate:,} rows/s ({_ms(real)})",
            real_rate,
            ratio,
            "≥ 0.5×",
            ratio is not None and ratio >= 0.5,
            f"same rows, the table's 4 indexes maintained, rolled back; created per batch "
            f"{r['created_per_batch']}",
        ),
        _row(
            "3 observations/bulk",
            figure,
            rate,
            f"COPY into an index-free scratch table {scratch_rate:,} rows/s ({_ms(r['copy'])})",
            scratch_rate,
            _ratio(rate, scratch_rate),
            "(information)",
            None,
            "no index, no constraint: below what any indexed table can take",
        ),
        _row(
            "3 observations/bulk re-send",
            f"{_ms(r['resend'])}, {added} rows added",
            r["resend"],
            "first send " + _ms(r["first"]),
            r["first"],
            resend,
            "0 rows, ≤ 0.35×",
            added == 0 and resend is not None and resend <= 0.35,
        ),
    ]


def rows_freeze(r):
    ratio = _ratio(r["app"]["median_ms"], r["raw_sql"]["median_ms"])
    return [
        _row(
            "4 baseline freeze",
            f"{r['supervisors']} supervisors, {r['baselines']} baselines {_ms(r['app'])}",
            r["app"],
            "raw INSERT … SELECT " + _ms(r["raw_sql"]),
            r["raw_sql"],
            ratio,
            "≤ 2×",
            ratio is not None and ratio <= 2,
        )
    ]


def rows_lists(big, small, big_scale, small_scale):
    rows, mismatches, compared = [], [], 0
    for path, counted in big["queries"].items():
        other = small["queries"].get(path, {})
        if counted["queries"] is None or other.get("queries") is None:
            continue
        compared += 1
        if counted["queries"] != other["queries"]:
            mismatches.append(f"{path} {other['queries']}→{counted['queries']}")
    missing = [p for p, c in big["queries"].items() if c["queries"] is None]
    rows.append(
        _row(
            "5 queries per request",
            f"{compared} list pages/endpoints compared",
            compared,
            f"{small_scale} vs {big_scale}",
            None,
            None,
            "equal",
            not mismatches,
            "; ".join(mismatches)
            or ("not available yet: " + ", ".join(missing) if missing else ""),
        )
    )
    return rows


def rows_p50(big, small, rounds):
    rows = []
    for key in ("first_page", "deep_page", "slowest_ordering"):
        if key in big and key in small:
            ratio = _ratio(big[key]["median_ms"], small[key]["median_ms"])
            label = key.replace("_", " ") + f" ({rounds} alternating rounds)"
            if key == "slowest_ordering":
                label = f"slowest allowed ordering {big[key]['path']} ({rounds} rounds)"
            rows.append(
                _row(
                    "5 observations list p50",
                    f"{label} at {big['observation_rows']:,} rows {_ms(big[key])}",
                    big[key],
                    f"at {small['observation_rows']:,} rows {_ms(small[key])}",
                    small[key],
                    ratio,
                    "≤ 1.5×",
                    ratio is not None and ratio <= 1.5,
                )
            )
    return rows


def rows_memory(r, chart):
    rows = []
    if chart and chart.get("status") == "ok":
        size, points = chart["payload_bytes"], chart["points_per_trace"]
        rows.append(
            _row(
                "6 chart payload",
                f"{size / 1024:.1f} KB, {points} points/trace",
                size,
                "50 KB, 2,000 points",
                50 * 1024,
                _ratio(size, 50 * 1024),
                "≤ 50 KB, ≤ 2,000",
                size <= 50 * 1024 and points <= 2000,
                f"pilot chart page {chart.get('chart_page_bytes')} bytes of HTML",
            )
        )
    for path, p in r["paths"].items():
        growth = round(p["rss_mb_after_repeats"] - p["rss_mb_after_warmup"], 1)
        rows.append(
            _row(
                "6 memory serving " + path,
                f"peak {p['tracemalloc_peak_mb']} MB per request; RSS "
                f"{p['rss_mb_after_first']} after one, {p['rss_mb_after_warmup']} after "
                f"10 more → {p['rss_mb_after_repeats']} MB",
                p["tracemalloc_peak_mb"],
                "RSS growth over the next 20 requests",
                growth,
                None,
                "flat (≤ 5 MB)",
                growth <= 5,
                f"{p['bytes']} bytes",
            )
        )
    return rows


def build_rows(main: dict, reference: dict, scale: str) -> list[dict]:
    rows = []
    builders = {
        "dashboard": rows_dashboard,
        "rollups": rows_rollups,
        "chart": rows_chart,
        "ingest": rows_ingest,
        "freeze": rows_freeze,
        "effect": rows_effect,
    }
    for name in ("dashboard", "rollups", "chart", "ingest", "freeze", "effect"):
        result = main.get(name, {"status": "not run"})
        ok = result.get("status") == "ok"
        rows += builders[name](result) if ok else _unavailable(name, result)
    lists, ref_lists = main.get("lists", {}), reference.get("lists", {})
    if lists.get("status") == "ok" and ref_lists.get("status") == "ok":
        rows += rows_lists(lists, ref_lists, scale, REFERENCE[scale])
    else:
        rows += _unavailable("lists", lists if lists.get("status") != "ok" else ref_lists)
    p50, ref_p50 = main.get("p50", {}), reference.get("p50", {})
    if p50.get("status") == "ok" and ref_p50.get("status") == "ok":
        rows += rows_p50(p50, ref_p50, p50["rounds"])
    else:
        rows += _unavailable("p50", p50 if p50.get("status") != "ok" else ref_p50)
    memory = main.get("memory", {"status": "not run"})
    if memory.get("status") == "ok":
        rows += rows_memory(memory, main.get("chart"))
    else:
        rows += _unavailable("memory", memory)
    return rows


def markdown(report: dict) -> str:
    def mark(met):
        return {True: "yes", False: "**no**", None: "–"}[met]

    lines = [
        f"# Benchmark results — scale `{report['scale']}`",
        "",
        f"Run {report['finished_at']} on {report['machine']}. Medians over "
        f"{report['runs']} runs after a warm-up (min–max in brackets). Organisation: "
        + ", ".join(f"{v:,} {k}" for k, v in report["generation"]["main"]["rows"].items())
        + f". Generated in {report['generation']['main']['total_seconds']:.0f} s "
        "(COPY + generate_series, indexes rebuilt after the load).",
        "",
        "| Scenario | Figure | Limit (raw) | Ratio | Target | Met? |",
        "|---|---|---|---|---|---|",
    ]
    for r in report["rows"]:
        ratio = "" if r["ratio"] is None else f"{r['ratio']}×"
        note = f" — {r['note']}" if r["note"] else ""
        lines.append(
            f"| {r['scenario']} | {r['figure']}{note} | {r['limit']} | {ratio} | "
            f"{r['target']} | {mark(r['met'])} |"
        )
    lines += [
        "",
        "What each figure measures, what was fixed to reach it, and why a missed target is "
        "missed: "
        "[FINDINGS.md](FINDINGS.md).",
        "",
        "Reproduce (PostgreSQL on 127.0.0.1:5432, user postgres; override with BENCH_POSTGRES):",
        "",
        "    make bench                 # full scale → bench/results.json, bench/RESULTS.md",
        "    make bench SCALE=small     # 1/100 → bench/out/ (what CI runs)",
        "    make bench SCALE=xl        # 10× full → bench/results_xl.json, bench/RESULTS_xl.md",
        "                               # (about 14 GB of database; check df first)",
        "    .venv/bin/python -m bench.run --scale full --reuse   # keep generated databases",
        "",
        "Raw measurements (every run's median, min, max, quartiles, query counts per endpoint)"
        " are in the JSON file next to this one.",
    ]
    return "\n".join(lines) + "\n"


REPORTS = {
    "full": (BENCH / "results.json", BENCH / "RESULTS.md"),
    "xl": (BENCH / "results_xl.json", BENCH / "RESULTS_xl.md"),
}
GROWTH_SOURCES = {
    "small": OUT / "results_small.json",
    "full": BENCH / "results.json",
    "xl": BENCH / "results_xl.json",
}


def _figure(value):
    if isinstance(value, dict):
        return value.get("median_ms")
    return value if isinstance(value, int | float) else None


def growth_markdown() -> str:
    """Each figure at small, full and xl (whichever runs exist), and xl ÷ full: the measured
    side of every row and what it is compared with, each once."""
    reports = {}
    for name, path in GROWTH_SOURCES.items():
        if path.exists():
            reports[name] = json.loads(path.read_text())
    if "full" not in reports:
        return ""
    lines = [
        "",
        "## Growth with the organisation",
        "",
        "Each figure (ms, rows/s for ingest, bytes or MB where the figure says so) at each "
        "scale that has been run; "
        + ", ".join(f"{n} run {r['finished_at']}" for n, r in reports.items())
        + ". xl has 10× full's people, pilots, workgroups, observations and cycles.",
        "",
        "| Scenario | Figure | small | full | xl | xl ÷ full |",
        "|---|---|---|---|---|---|",
    ]
    figures: dict[tuple[str, str], dict[str, float]] = {}
    for name in ("full", "small", "xl"):  # full first: its rows give the order
        for row in reports.get(name, {}).get("rows", []):
            sides = ((row["figure"], row["value"]), (row["limit"], row.get("limit_value")))
            for text, value in sides:
                number = _figure(value)
                # A limit measured at the reference scale ("at 50,400 rows …") is another
                # scale's figure, already in its own column.
                if text and number is not None and not text.startswith("at "):
                    key = (row["scenario"], _label(text))
                    figures.setdefault(key, {}).setdefault(name, number)
    for (scenario, label), by_scale in figures.items():
        cells = [by_scale.get(name) for name in ("small", "full", "xl")]
        ratio = _ratio(cells[2], cells[1])
        shown = ["–" if c is None else f"{c:,.1f}" for c in cells]
        lines.append(
            f"| {scenario} | {label} | {' | '.join(shown)} | "
            f"{'–' if ratio is None else f'{ratio}×'} |"
        )
    return "\n".join(lines) + "\n"


NUMBER = r"\d[\d,]*(?:\.\d+)?"
UNIT = r"\s*(ms|rows/s|KB|MB|×)"


def _label(text: str) -> str:
    """A figure's words without its measured numbers, so a row has the same label at every
    scale ("1377.8 ms, 0 rows added" → "0 rows added"; "3,232 rows/s" → "rows/s")."""
    words = re.split(r"\s+—", text)[0]
    while re.search(r"\([^()]*\)", words):
        words = re.sub(r"\s*\([^()]*\)", "", words)
    words = re.sub(rf"\bat {NUMBER} rows\b", "", words)
    unit = re.search(NUMBER + UNIT, words)
    words = re.sub(NUMBER + UNIT, "", words)
    words = re.sub(r"\d+(?:,\d{3})+(?:\.\d+)?|\d+\.\d+", "", words)
    label = re.sub(r"\s+", " ", words).strip(" ,;:→")
    return label or (unit.group(1) if unit else text)


def write_reports() -> None:
    """Write RESULTS.md (full) and RESULTS_xl.md (xl) again from their JSON files, with
    the growth table as it stands: `python -m bench.run --rewrite`."""
    for json_path, md_path in REPORTS.values():
        if json_path.exists():
            md_path.write_text(markdown(json.loads(json_path.read_text())) + growth_markdown())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "full", "xl"], default="small")
    parser.add_argument("--reuse", action="store_true", help="keep existing bench databases")
    parser.add_argument("--runs", type=int)
    parser.add_argument(
        "--rewrite", action="store_true", help="only write the reports again from the JSON"
    )
    args = parser.parse_args(argv)
    if args.rewrite:
        write_reports()
        return 0
    scale, reference = args.scale, REFERENCE[args.scale]
    runs = args.runs or RUNS[scale]
    urls = {"main": database_url(scale), "reference": database_url(reference)}
    for url in urls.values():
        require_postgres(url)
    OUT.mkdir(exist_ok=True)
    generation = {}
    for role, name in (("main", scale), ("reference", reference)):
        saved = OUT / f"generation_{name}.json"
        if args.reuse and _exists(urls[role]) and saved.exists():
            generation[role] = {**json.loads(saved.read_text()), "reused": True}
            continue
        print(f"== generating {name}", file=sys.stderr)
        generation[role] = generate(SCALES[name], urls[role])
        saved.write_text(json.dumps(generation[role], indent=2))
    print(f"== measuring {scale}", file=sys.stderr)
    main_results = _measure(urls["main"], OUT / f"measure_{scale}.json", runs)
    print(f"== measuring {reference} (reference for query counts and list p50)", file=sys.stderr)
    reference_results = _measure(
        urls["reference"], OUT / f"measure_{reference}.json", runs, only="lists"
    )
    print(f"== observations list p50: {P50_ROUNDS} rounds alternating", file=sys.stderr)
    main_results["p50"], reference_results["p50"] = _alternating_p50(urls, runs)
    report = {
        "scale": scale,
        "reference_scale": reference,
        "runs": runs,
        "finished_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {_cores()} cores, PostgreSQL {_pg_version(urls)}",
        "generation": generation,
        "rows": build_rows(main_results, reference_results, scale),
        "measurements": {"main": main_results, "reference": reference_results},
    }
    json_path, md_path = REPORTS.get(
        scale, (OUT / f"results_{scale}.json", OUT / f"RESULTS_{scale}.md")
    )
    json_path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    md_path.write_text(markdown(report) + growth_markdown())
    print(md_path.read_text())
    crashed = [r for r in report["rows"] if r["figure"] == "error"]
    return 1 if crashed else 0


def _cores() -> int:
    import os

    return os.cpu_count() or 0


def _pg_version(urls) -> str:
    with _connect(urls["main"]) as conn:
        return conn.execute("SHOW server_version").fetchone()[0].split()[0]


if __name__ == "__main__":
    sys.exit(main())
