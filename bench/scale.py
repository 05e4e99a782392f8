"""How dlgraph's cost grows with its input: the mirror copied under extra edition codes.

For each factor N (default 1 2 4), the three course sites of the mirror are written N times:
the originals, and N-1 copies under new site paths (``NYU-DLSP20`` → ``NYU-DLSP20X2`` …, the
path rewritten inside each page so the copy links to itself) declared as extra editions in
an editions file (``SP20X2`` …). Then, per size, in a fresh data folder:

* ``dlgraph ingest`` (pages and documents; ``--repos none``) CPU seconds, wall seconds and
  peak RSS of that process alone;
* graph triples, ``graph.ttl`` and store sizes, index size;
* ``stats``, ``compare SP21 FL22``, ``path attention``, ``people`` and ``search attention``
  as processes (CPU seconds, best of two).

Each figure is printed with its ratio to the factor-1 run of the same invocation, so the
cost curve is on record whatever else the machine is doing.

Usage: python bench/scale.py --mirror ../shared/sites --documents ../shared/seeds [--factors 1 2 4]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

DLGRAPH = [sys.executable, "-m", "dlgraph"]
#: site folder → (edition code, term, year) of the edition it holds.
SITES = {"NYU-DLSP20": ("SP20", "Spring", 2020), "NYU-DLSP21": ("SP21", "Spring", 2021),
         "NYU-DLFL22": ("FL22", "Fall", 2022)}


def make_input(mirror: Path, factor: int, into: Path) -> tuple[Path, Path]:
    """A mirror with ``factor`` copies of each site and the editions file declaring them."""
    sites = into / "sites"
    tables = []
    for folder, (code, term, year) in SITES.items():
        for copy in range(1, factor + 1):
            name = folder if copy == 1 else f"{folder}X{copy}"
            for src in (mirror / folder).rglob("*"):
                dst = sites / name / src.relative_to(mirror / folder)
                if src.is_dir():
                    dst.mkdir(parents=True, exist_ok=True)
                    continue
                dst.parent.mkdir(parents=True, exist_ok=True)
                data = src.read_bytes()
                if copy > 1 and src.suffix == ".html":
                    data = data.replace(f"/{folder}/".encode(), f"/{name}/".encode())
                dst.write_bytes(data)
            if copy > 1:
                tables.append(
                    f'[[edition]]\ncode = "{code}X{copy}"\ncourse = "DS-GA 1008"\n'
                    f'term = "{term}"\nyear = {year}\n'
                    f'site = "https://atcold.github.io/{name}/"\n')
    editions = into / "editions.toml"
    editions.write_text("\n".join(tables), encoding="utf-8")
    return sites, editions


def dlgraph(args: list[str], env: dict) -> dict:
    """One ``dlgraph`` process: its own CPU seconds, wall seconds and peak RSS (``wait4``)."""
    import tempfile as _tf

    start = time.perf_counter()
    with _tf.TemporaryFile("w+") as out, _tf.TemporaryFile("w+") as err:
        proc = subprocess.Popen([*DLGRAPH, *args], stdout=out, stderr=err, text=True, env=env)
        _, status, use = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode:
        raise SystemExit(f"dlgraph {' '.join(args)} failed: {stderr.strip()[-500:]}")
    return {"cpu": use.ru_utime + use.ru_stime, "wall": wall, "out": stdout,
            "peak_mib": use.ru_maxrss / 1024}


def _size_mib(path: Path) -> float:
    path = path.resolve()
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def measure(mirror: Path, documents: Path, factor: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"dlgraph-scale-{factor}-") as tmp:
        tmp = Path(tmp)
        sites, editions = make_input(mirror, factor, tmp)
        data = tmp / "data"
        env = {**os.environ, "DLGRAPH_EDITIONS_FILE": str(editions), "DLGRAPH_DATA": str(data)}
        # Pages and documents only: the repositories are not copied per edition.
        ingest = dlgraph(["ingest", "--mirror", str(sites), "--documents", str(documents),
                          "--repos", "none", "--json"], env)
        built = json.loads(ingest["out"])
        row = {"factor": factor, "pages": sum(1 for _ in sites.rglob("*.html")),
               "ingest_cpu": ingest["cpu"], "ingest_wall": ingest["wall"],
               "peak_mib": ingest["peak_mib"], "triples": built["triples"],
               "indexed": built["indexed"], "ttl_mib": _size_mib(data / "graph.ttl"),
               "store_mib": _size_mib(data / "graph.oxigraph"),
               "index_mib": _size_mib(data / "index")}
        for name, args in (("stats", ["stats"]), ("compare", ["compare", "SP21", "FL22"]),
                           ("path", ["path", "attention"]), ("people", ["people"]),
                           ("search", ["search", "attention"])):
            row[f"{name}_cpu"] = min(dlgraph(args, env)["cpu"] for _ in range(2))
        return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mirror", type=Path, default=Path("../shared/sites"))
    ap.add_argument("--documents", type=Path, default=Path("../shared/seeds"))
    ap.add_argument("--factors", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = [measure(args.mirror, args.documents, n) for n in sorted(set(args.factors))]
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    base = rows[0]
    keys = ("pages", "ingest_cpu", "peak_mib", "triples", "indexed", "ttl_mib", "store_mib",
            "index_mib", "stats_cpu", "compare_cpu", "path_cpu", "people_cpu", "search_cpu")
    print(f"machine load (1/5/15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} CPUs; ratios are to factor {base['factor']}")
    print("factor  " + "  ".join(f"{k:>14}" for k in keys))
    for r in rows:
        cells = [f"{r[k]:.1f} ({r[k] / base[k]:.1f}x)" if base[k] else f"{r[k]}" for k in keys]
        print(f"{r['factor']:>6}  " + "  ".join(f"{c:>14}" for c in cells))


if __name__ == "__main__":
    main()
