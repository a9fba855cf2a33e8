"""Benchmarks: speed, memory and size at 1k-10k releases, side by side with the alternatives.

    python -m bench                 # N = 1,000, 5,000, 10,000 (+ comparisons); several minutes
    python -m bench --sizes 200 --smoke   # what CI runs: a small N, no comparisons, no assertions

Every figure comes from a separate process (wall time from the parent, peak memory from the
child's rusage), on synthetic portfolios from bench/synth.py cached under $RELSITE_BENCH_DIR.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import serve_latency
from .synth import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TODAY = "2026-11-27"


@dataclass
class Run:
    seconds: float
    peak_bytes: int
    returncode: int
    output: str


@dataclass
class Row:
    """Everything measured at one N."""

    floor: Run
    validate: Run
    build: Run
    site: tuple[int, int, int, str]
    """Bytes, files, largest page's bytes and path."""
    jsonschema: Run | None = None


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` and report its wall time and its own peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    out = b""
    assert proc.stdout is not None
    for chunk in iter(lambda: proc.stdout.read(65536), b""):  # type: ignore[union-attr]
        out += chunk
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss * 1024, proc.returncode, out.decode(errors="replace"))


def fastest(cmd: list[str], cwd: Path, times: int) -> Run:
    """The fastest of ``times`` runs: for the short measurements, where another tenant's burst on this
    machine moves a single run by 10-20%."""
    runs = [measure(cmd, cwd) for _ in range(max(1, times))]
    return min(runs, key=lambda r: r.seconds)


def portfolio(n: int, base: Path) -> Path:
    """A project folder (mkdocs.yml, content, theme, releases) with N synthetic releases, generated once."""
    project = base / f"n{n}-lines"  # the portfolio's shape changed when services gained support lines
    if not (project / "releases" / "portfolio.yaml").exists():
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        generate(n, project, seed=1, today=dt.date.fromisoformat(TODAY))
    for name in ("content", "theme"):
        shutil.rmtree(project / name, ignore_errors=True)
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def release_files(project: Path) -> list[str]:
    return sorted(str(p) for p in (project / "releases").rglob("*.yaml") if p.name != "portfolio.yaml")


FLOOR = "import sys, yaml\nfor p in sys.argv[1:]:\n    yaml.load(open(p, 'rb').read(), Loader=yaml.CSafeLoader)\n"


def site_stats(site: Path) -> tuple[int, int, int, str]:
    files = [p for p in site.rglob("*") if p.is_file()]
    largest = max((p for p in files if p.suffix == ".html"), key=lambda p: p.stat().st_size)
    return (
        sum(p.stat().st_size for p in files),
        len(files),
        largest.stat().st_size,
        largest.relative_to(site).as_posix(),
    )


# --- what a team would do by hand: plain MkDocs pages ---------------------------------------------


def _plain_pages(r: dict[str, Any]) -> tuple[str, str]:
    """A release's notes page and handover page as a team would write them by hand: the same
    sections and facts relsite's two pages show, in ordinary Markdown."""
    envs = "\n".join(
        f"| {e} | {d.get('window', {}).get('start', '')} – {d.get('window', {}).get('end', '')} | {d['status']} | "
        f"{d.get('deployed_at', '')} | {d.get('sign_off', {}).get('by', '')} |"
        for e, d in r["environments"].items()
    )
    notes = r.get("notes", {})
    sections = "".join(
        f"## {title}\n\n" + "\n".join(f"- {i}" for i in notes[key]) + "\n\n"
        for key, title in (("highlights", "Highlights"), ("features", "New features"), ("fixes", "Fixes"))
        if notes.get(key)
    )
    issues = "".join(
        f"- {k['summary']} *Workaround:* {k.get('workaround', '')}\n" for k in notes.get("known_issues", [])
    )
    m = r.get("milestones", {})
    release = (
        f"# {r['id']}: {r['title']}\n\n**{r['service']}** version {r['version']} · {r['type']} · {r['status']} · "
        f"{r['risk']} risk\n\n{r['summary']}\n\n## When it reaches each environment\n\n"
        f"| Environment | Window | Status | Deployed | Sign-off |\n|---|---|---|---|---|\n{envs}\n\n"
        f"Code freeze: **{m.get('code_freeze', '')}**. CAB review: **{m.get('cab', '')}**. "
        f"Go/no-go: **{m.get('go_no_go', '')}**.\n\n"
        f"{sections}## Known issues\n\n{issues}\n## Details\n\n"
        f"- Owner: {r['owner']}\n- Release manager: {r.get('release_manager', '')}\n"
        f"- Changes: {', '.join(r.get('changes', []))}\n"
        f"- Components: {', '.join(c['name'] + ' ' + c['version'] for c in r.get('components', []))}\n\n"
        f"[Handover for operations](handover.md)\n"
    )
    h = r.get("handover", {})
    support = h.get("support", {})
    errors = "\n".join(f"| {k['summary']} | {k.get('workaround', '')} |" for k in h.get("known_errors", []))
    els = h.get("early_life_support", {})
    handover = (
        f"# Handover: {r['id']} {r['title']}\n\n{r['id']} · {r['service']} {r['version']} · "
        f"{r['status']} · {r['risk']} risk\n\n"
        "## Readiness\n\n- [x] Runbook\n- [x] Support team\n- [x] Rollback plan\n- [x] Monitoring\n"
        "- [x] Known errors\n\n"
        f"## Support\n\n- Team: {support.get('team', '')}\n- Hours: {support.get('hours', '')}\n"
        f"- Contact: {support.get('contact', '')}\n\n"
        f"Escalation path:\n\n" + "\n".join(f"1. {e}" for e in support.get("escalation", [])) + "\n\n"
        f"## Runbook and monitoring\n\nRunbook: <{h.get('runbook', '')}>\n\n"
        + "\n".join(f"- {x}" for x in h.get("monitoring", []))
        + f"\n\n## Rollback\n\n{h.get('rollback', '')}\n\n## Known errors\n\n"
        f"| Error | Workaround |\n|---|---|\n{errors}\n\n"
        f"## Early life support\n\nBy {els.get('team', '')} until {els.get('until', '')}.\n"
    )
    return release, handover


def plain_project(project: Path, n: int, nav: bool) -> Path:
    """The same release pages (notes and handover, two per release, as relsite makes them) written
    as ordinary Markdown in a plain MkDocs + material site; ``nav`` False keeps MkDocs' default
    navigation (every page listed), True bounds it to the home page."""
    import yaml

    out = project.parent / f"plain2-n{n}-{'bounded' if nav else 'default'}"
    if (out / "site").exists():
        shutil.rmtree(out / "site")
    if not (out / "docs").exists():
        docs = out / "docs" / "releases"
        docs.mkdir(parents=True)
        (out / "docs" / "index.md").write_text("# Releases\n")
        for path in release_files(project):
            r = yaml.load(Path(path).read_bytes(), Loader=yaml.CSafeLoader)
            release, handover = _plain_pages(r)
            (docs / r["id"]).mkdir()
            (docs / r["id"] / "index.md").write_text(release)
            (docs / r["id"] / "handover.md").write_text(handover)
    config = (
        "site_name: Plain\ntheme:\n  name: material\n  font: false\nplugins: [search]\n"
        "markdown_extensions: [tables, toc]\n"
        + ("nav:\n  - index.md\nvalidation:\n  nav:\n    omitted_files: ignore\n" if nav else "")
    )
    (out / "mkdocs.yml").write_text(config)
    return out


# --- the same portfolio with each engine ----------------------------------------------------------


def engine_runs(project: Path, engines: list[str]) -> dict[str, Run]:
    """``relsite build --engine E`` for each engine but MkDocs (the build above), each into its own site folder."""
    runs: dict[str, Run] = {}
    for engine in [e for e in engines if e != "mkdocs"]:
        out = project / f"site-{engine}"
        shutil.rmtree(out, ignore_errors=True)
        run = measure(
            [str(BIN / "relsite"), "build", "--today", TODAY, "--engine", engine, "--site-dir", str(out)], project
        )
        if run.returncode != 0:
            print(f"  {engine} failed (exit {run.returncode}): {run.output[-800:]}")
        else:
            runs[engine] = run
            print(
                f"  N={sum(1 for _ in release_files(project)):,} {engine}: {run.seconds:.1f}s ({mb(run.peak_bytes)})",
                flush=True,
            )
        shutil.rmtree(out, ignore_errors=True)
    return runs


# --- the table ------------------------------------------------------------------------------------


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def _arguments() -> argparse.Namespace:
    def sizes(s: str) -> list[int]:
        return [int(x) for x in s.split(",") if x]

    parser = argparse.ArgumentParser(description="relsite benchmarks")
    parser.add_argument("--sizes", type=sizes, default=[1000, 5000, 10000])
    parser.add_argument(
        "--plain", type=sizes, default=[1000, 2000], help="N for the plain MkDocs comparison, bounded nav"
    )
    parser.add_argument(
        "--plain-default",
        type=sizes,
        default=[1000, 2000],
        help="N for the plain MkDocs comparison with the default nav (slow: 10 minutes at 2,000)",
    )
    parser.add_argument("--smoke", action="store_true", help="small run for CI: no comparisons")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--serve", type=sizes, default=[1000], help="N at which to time relsite serve (ten edits)")
    parser.add_argument(
        "--engines",
        type=lambda s: [e for e in s.split(",") if e],
        default=["mkdocs", "properdocs", "zensical"],
        help="engines to build every N with, side by side ('' for none)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the parsing floor and of validate; the fastest counts"
    )
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("RELSITE_BENCH_DIR", "/tmp/relsite-bench")))
    return parser.parse_args()


def _measure_size(n: int, args: argparse.Namespace) -> Row | None:
    """Floor, validate, check-jsonschema (outside smoke runs) and build for N releases; None when a step failed."""
    project = portfolio(n, args.dir)
    files = release_files(project)
    jsonschema = None
    floor = fastest([sys.executable, "-c", FLOOR, *files], project, args.repeat)
    val = fastest([str(BIN / "relsite"), "validate", "releases"], project, args.repeat)
    if val.returncode != 0:
        print(val.output[-2000:])
        return None
    cj = None if args.smoke else shutil.which("check-jsonschema", path=str(BIN))
    if cj:
        run = measure([cj, "--schemafile", str(ROOT / "schema/release.schema.json"), *files], project)
        if run.returncode != 0:
            print(f"  check-jsonschema failed (exit {run.returncode}): {run.output[-500:]}")
        else:
            jsonschema = run
    shutil.rmtree(project / "site", ignore_errors=True)
    build = measure([str(BIN / "relsite"), "build", "--today", TODAY], project)
    if build.returncode != 0:
        print(build.output[-3000:])
        return None
    row = Row(floor, val, build, site_stats(project / "site"), jsonschema)
    size, count, largest, largest_name = row.site
    print(
        f"  N={n:>6,}: floor {floor.seconds:.2f}s, validate {val.seconds:.2f}s ({mb(val.peak_bytes)}), "
        f"build {build.seconds:.1f}s ({mb(build.peak_bytes)}), site {mb(size)} in {count:,} files, "
        f"largest page {largest / 1024:,.0f} KiB ({largest_name})",
        flush=True,
    )
    return row


def _plain_runs(args: argparse.Namespace) -> dict[tuple[int, bool], Run]:
    plain: dict[tuple[int, bool], Run] = {}
    for n in sorted(set(args.plain) | set(args.plain_default)):
        project = portfolio(n, args.dir)
        for bounded in [b for b, chosen in ((True, args.plain), (False, args.plain_default)) if n in chosen]:
            out = plain_project(project, n, bounded)
            plain[(n, bounded)] = measure([str(BIN / "mkdocs"), "build", "-q"], out)
            print(
                f"  plain MkDocs N={n:,} {'bounded nav' if bounded else 'default nav'}: "
                f"{plain[(n, bounded)].seconds:.1f}s ({mb(plain[(n, bounded)].peak_bytes)})",
                flush=True,
            )
    return plain


def _print_table(rows: dict[int, Row]) -> None:
    print()
    print(
        "| N | floor (C loader) | relsite validate | ratio | check-jsonschema | ratio | relsite build | peak memory | "
        "per release | site size | files | largest page |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, row in rows.items():
        f_, v, b, checker = row.floor, row.validate, row.build, row.jsonschema
        size, count, largest, largest_name = row.site
        print(
            f"| {n:,} | {f_.seconds:.2f} s | {v.seconds:.2f} s, {mb(v.peak_bytes)} | {v.seconds / f_.seconds:.2f}x | "
            + (f"{checker.seconds:.2f} s | {checker.seconds / v.seconds:.1f}x relsite | " if checker else "n/a | | ")
            + f"{b.seconds:.1f} s | {mb(b.peak_bytes)} | {b.seconds / n * 1000:.1f} ms, {size / n / 1024:.0f} KiB | "
            f"{mb(size)} | {count:,} | "
            f"{largest / 1024:,.0f} KiB ({largest_name}) |"
        )
    if len(rows) > 1:
        lo, hi = min(rows), max(rows)
        a, z = rows[lo], rows[hi]
        print(
            f"\ngrowth {hi:,}/{lo:,} (x{hi / lo:g} releases): "
            f"validate time x{z.validate.seconds / a.validate.seconds:.1f}, "
            f"build time x{z.build.seconds / a.build.seconds:.1f}, "
            f"build memory x{z.build.peak_bytes / a.build.peak_bytes:.1f}, "
            f"site size x{z.site[0] / a.site[0]:.1f}"
        )


def _print_plain(rows: dict[int, Row], plain: dict[tuple[int, bool], Run]) -> None:
    for (n, bounded), run in sorted(plain.items()):
        ours = rows[n].build if n in rows else None
        if bounded:
            line = (
                f"plain MkDocs, N={n:,}, bounded nav: {run.seconds:.1f} s, {mb(run.peak_bytes)} for {2 * n:,} pages "
                f"= {run.seconds / n * 1000:.1f} ms per release ({run.seconds / (2 * n) * 1000:.1f} ms per page)"
            )
            if ours is not None:
                line += (
                    f"; relsite: {ours.seconds / n * 1000:.1f} ms per release (the same two pages, plus calendars, "
                    f"JSON, feeds, month pages and indexes) -> {ours.seconds / run.seconds:.2f}x"
                )
            print(line)
        else:
            bounded_run = plain.get((n, True))
            extra = f" ({run.seconds / bounded_run.seconds:.1f}x the bounded nav)" if bounded_run else ""
            ours_time = (
                f"; relsite {ours.seconds:.1f} s -> plain takes {run.seconds / ours.seconds:.1f}x relsite"
                if ours
                else ""
            )
            print(
                f"plain MkDocs, N={n:,}, default nav (every page listed): {run.seconds:.1f} s, "
                f"{mb(run.peak_bytes)}{extra}{ours_time}"
            )


def main() -> int:
    args = _arguments()
    args.dir.mkdir(parents=True, exist_ok=True)
    # Byte-compile relsite as an installed package would be: with an editable install and
    # PYTHONDONTWRITEBYTECODE set (as on this machine), every run would compile it from source.
    compileall.compile_dir(ROOT / "generator" / "relsite", quiet=1)
    rows: dict[int, Row] = {}
    print(f"relsite benchmark, {os.cpu_count()} cores, Python {sys.version.split()[0]}, today={TODAY}", flush=True)
    for n in args.sizes:
        row = _measure_size(n, args)
        if row is None:
            return 1
        rows[n] = row
    plain = {} if args.smoke else _plain_runs(args)
    engines = (
        {}
        if args.smoke
        else {n: _with_mkdocs(rows[n], engine_runs(portfolio(n, args.dir), args.engines)) for n in rows}
    )
    serving = (
        {}
        if args.smoke or args.no_serve
        else {n: serve_latency.measure(portfolio(n, args.dir), BIN / "relsite", TODAY) for n in args.serve}
    )
    _print_table(rows)
    _print_plain(rows, plain)
    _print_engines(engines, plain)
    for n, results in serving.items():
        print(f"relsite serve at N={n:,}: {serve_latency.summary(results)}")
    return 0


def _with_mkdocs(row: Row, runs: dict[str, Run]) -> dict[str, Run]:
    return {"mkdocs": row.build, **runs}


def _print_engines(engines: dict[int, dict[str, Run]], plain: dict[tuple[int, bool], Run]) -> None:
    if not any(engines.values()):
        return
    names = sorted({e for runs in engines.values() for e in runs}, key=["mkdocs", "properdocs", "zensical"].index)
    print()
    print("| N | " + " | ".join(names) + " | plain MkDocs (bounded nav) |")
    print("|---:|" + "---:|" * (len(names) + 1))
    for n, runs in engines.items():
        base = plain.get((n, True))
        cells = [
            f"{runs[e].seconds:.1f} s, {mb(runs[e].peak_bytes)}"
            + (f" ({runs[e].seconds / base.seconds:.2f}x plain)" if base else "")
            if e in runs
            else "failed"
            for e in names
        ]
        print(
            f"| {n:,} | "
            + " | ".join(cells)
            + f" | {f'{base.seconds:.1f} s, {mb(base.peak_bytes)}' if base else 'n/a'} |"
        )


if __name__ == "__main__":
    raise SystemExit(main())
