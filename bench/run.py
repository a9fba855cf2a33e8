"""Benchmarks: speed, memory and size at 1k-10k releases, side by side with the alternatives.

    python -m bench                 # N = 1,000, 5,000, 10,000 (+ comparisons); several minutes
    python -m bench --sizes 200 --smoke   # what CI runs: a small N, no comparisons, no assertions

Every figure comes from a separate process (wall time from the parent, peak memory from the
child's rusage), on synthetic portfolios from bench/synth.py cached under $RELSITE_BENCH_DIR.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

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


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` and report its wall time and its own peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = b""
    assert proc.stdout is not None
    for chunk in iter(lambda: proc.stdout.read(65536), b""):  # type: ignore[union-attr]
        out += chunk
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss * 1024, proc.returncode, out.decode(errors="replace"))


def portfolio(n: int, base: Path) -> Path:
    """A project folder (mkdocs.yml, content, theme, releases) with N synthetic releases, generated once."""
    project = base / f"n{n}"
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
    return sum(p.stat().st_size for p in files), len(files), largest.stat().st_size, largest.relative_to(site).as_posix()


# --- what a team would do by hand: plain MkDocs pages ---------------------------------------------


def plain_project(project: Path, n: int, nav: bool) -> Path:
    """The same releases as ordinary Markdown pages (notes + handover in one page each) in a plain
    MkDocs + material site; ``nav`` False keeps MkDocs' default navigation (every page listed)."""
    import yaml

    out = project.parent / f"plain-n{n}-{'bounded' if nav else 'default'}"
    if (out / "site").exists():
        shutil.rmtree(out / "site")
    if not (out / "docs").exists():
        docs = out / "docs" / "releases"
        docs.mkdir(parents=True)
        (out / "docs" / "index.md").write_text("# Releases\n")
        for path in release_files(project):
            r = yaml.load(open(path, "rb").read(), Loader=yaml.CSafeLoader)
            envs = "\n".join(f"| {e} | {d.get('window', {}).get('start', '')} | {d['status']} |" for e, d in r["environments"].items())
            notes = "\n".join(f"## {k.title()}\n\n" + "\n".join(f"- {i if isinstance(i, str) else i['summary']}" for i in v)
                              for k, v in r.get("notes", {}).items())
            h = r.get("handover", {})
            (docs / f"{r['id']}.md").write_text(
                f"# {r['id']}: {r['title']}\n\n**{r['service']}** {r['version']} · {r['type']} · {r['status']} · {r['risk']} risk\n\n"
                f"{r['summary']}\n\n| Environment | Window | Status |\n|---|---|---|\n{envs}\n\n{notes}\n\n"
                f"## Handover\n\n- Runbook: <{h.get('runbook', '')}>\n- Support: {h.get('support', {}).get('team', '')}\n"
                f"- Rollback: {h.get('rollback', '')}\n")
    config = "site_name: Plain\ntheme:\n  name: material\n  font: false\nplugins: [search]\n" + ("nav:\n  - index.md\n" if nav else "")
    (out / "mkdocs.yml").write_text(config)
    return out


# --- serve: one YAML change to a reloaded page ----------------------------------------------------


def serve_rebuild_seconds(project: Path) -> float:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    target = release_files(project)[0]
    rid = Path(target).stem
    url = f"http://127.0.0.1:{port}/releases/{rid}/"
    proc = subprocess.Popen([str(BIN / "relsite"), "serve", "--today", TODAY, "-a", f"127.0.0.1:{port}"], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    original = Path(target).read_text()
    try:
        page = _poll(url, lambda text: rid in text, 600)
        assert page is not None, "serve did not come up"
        Path(target).write_text(original.replace("\ntitle: ", "\ntitle: Renamed ", 1))
        start = time.perf_counter()
        page = _poll(url, lambda text: "Renamed " in text, 600)
        assert page is not None, "serve did not rebuild"
        return time.perf_counter() - start
    finally:
        Path(target).write_text(original)
        proc.terminate()
        proc.wait(timeout=30)


def _poll(url: str, ok: object, timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                text = resp.read().decode()
                if ok(text):  # type: ignore[operator]
                    return str(text)
        except OSError:
            pass
        time.sleep(0.2)
    return None


# --- the table ------------------------------------------------------------------------------------


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description="relsite benchmarks")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 5000, 10000])
    parser.add_argument("--plain", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 2000],
                        help="N for the plain MkDocs comparison")
    parser.add_argument("--smoke", action="store_true", help="small run for CI: no comparisons")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("RELSITE_BENCH_DIR", "/tmp/relsite-bench")))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    rows: dict[int, dict[str, object]] = {}
    print(f"relsite benchmark, {os.cpu_count()} cores, Python {sys.version.split()[0]}, today={TODAY}", flush=True)
    for n in args.sizes:
        project = portfolio(n, args.dir)
        files = release_files(project)
        row: dict[str, object] = {}
        floor = measure([sys.executable, "-c", FLOOR, *files], project)
        val = measure([str(BIN / "relsite"), "validate", "releases"], project)
        if val.returncode != 0:
            print(val.output[-2000:])
            return 1
        row.update(floor=floor, validate=val)
        if not args.smoke:
            cj = shutil.which("check-jsonschema", path=str(BIN))
            if cj:
                run = measure([cj, "--schemafile", str(ROOT / "schema/release.schema.json"), *files], project)
                if run.returncode != 0:
                    print(f"  check-jsonschema failed (exit {run.returncode}): {run.output[-500:]}")
                else:
                    row["jsonschema"] = run
        shutil.rmtree(project / "site", ignore_errors=True)
        build = measure([str(BIN / "relsite"), "build", "--today", TODAY], project)
        if build.returncode != 0:
            print(build.output[-3000:])
            return 1
        row["build"] = build
        row["site"] = site_stats(project / "site")
        rows[n] = row
        size, count, largest, largest_name = row["site"]  # type: ignore[misc]
        print(f"  N={n:>6,}: floor {floor.seconds:.2f}s, validate {val.seconds:.2f}s ({mb(val.peak_bytes)}), "
              f"build {build.seconds:.1f}s ({mb(build.peak_bytes)}), site {mb(size)} in {count:,} files, "
              f"largest page {largest / 1024:,.0f} KiB ({largest_name})", flush=True)

    plain: dict[tuple[int, bool], Run] = {}
    if not args.smoke:
        for n in args.plain:
            project = portfolio(n, args.dir)
            for bounded in (True, False):
                out = plain_project(project, n, bounded)
                plain[(n, bounded)] = measure([str(BIN / "mkdocs"), "build", "-q"], out)
                print(f"  plain MkDocs N={n:,} {'bounded nav' if bounded else 'default nav'}: "
                      f"{plain[(n, bounded)].seconds:.1f}s ({mb(plain[(n, bounded)].peak_bytes)})", flush=True)
    serve = None
    if not args.smoke and not args.no_serve and 1000 in rows:
        serve = serve_rebuild_seconds(portfolio(1000, args.dir))

    print()
    print("| N | floor (C loader) | relsite validate | ratio | check-jsonschema | ratio | relsite build | peak memory | per release | site size | files | largest page |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, row in rows.items():
        f_, v, b = row["floor"], row["validate"], row["build"]
        assert isinstance(f_, Run) and isinstance(v, Run) and isinstance(b, Run)
        cj = row.get("jsonschema")
        size, count, largest, largest_name = row["site"]  # type: ignore[misc]
        print(f"| {n:,} | {f_.seconds:.2f} s | {v.seconds:.2f} s, {mb(v.peak_bytes)} | {v.seconds / f_.seconds:.2f}x | "
              + (f"{cj.seconds:.2f} s | {cj.seconds / v.seconds:.1f}x relsite | " if isinstance(cj, Run) else "n/a | | ")
              + f"{b.seconds:.1f} s | {mb(b.peak_bytes)} | {b.seconds / n * 1000:.1f} ms, {size / n / 1024:.0f} KiB | {mb(size)} | {count:,} | "
              f"{largest / 1024:,.0f} KiB ({largest_name}) |")
    if len(rows) > 1:
        lo, hi = min(rows), max(rows)
        a, b = rows[lo], rows[hi]
        k = hi / lo

        def ratio(key: str, attr: str) -> float:
            return float(getattr(b[key], attr)) / float(getattr(a[key], attr))

        print(f"\ngrowth {hi:,}/{lo:,} (x{k:g} releases): validate time x{ratio('validate', 'seconds'):.1f}, "
              f"build time x{ratio('build', 'seconds'):.1f}, build memory x{ratio('build', 'peak_bytes'):.1f}, "
              f"site size x{b['site'][0] / a['site'][0]:.1f}")  # type: ignore[index]
    for (n, bounded), run in sorted(plain.items()):
        if n in rows and bounded:
            ours = rows[n]["build"]
            assert isinstance(ours, Run)
            pages = 2 * n  # release notes + handover per release
            print(f"plain MkDocs, N={n:,}, bounded nav: {run.seconds:.1f} s for {n:,} pages = {run.seconds / n * 1000:.1f} ms/page; "
                  f"relsite: {ours.seconds / pages * 1000:.1f} ms/page ({pages:,} release pages + index pages) "
                  f"-> {ours.seconds / pages / (run.seconds / n):.2f}x per page")
        if not bounded:
            bounded_run = plain.get((n, True))
            extra = f" ({run.seconds / bounded_run.seconds:.1f}x the bounded nav)" if bounded_run else ""
            ours_time = f"; relsite builds N={n:,} in {rows[n]['build'].seconds:.1f} s" if n in rows else ""  # type: ignore[union-attr]
            print(f"plain MkDocs, N={n:,}, default nav (every page listed): {run.seconds:.1f} s, {mb(run.peak_bytes)}{extra}{ours_time}")
    if serve is not None:
        print(f"relsite serve at N=1,000: {serve:.1f} s from saving one YAML file to the rebuilt page being served")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
