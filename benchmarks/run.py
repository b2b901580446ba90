"""Measure defect as whole processes, against floors and peers, and write the table.

    python benchmarks/run.py                      # 1,000 / 10,000 / 100,000 people
    python benchmarks/run.py --sizes 1000 --repeat 5

Every figure is a ratio measured side by side in the same run (A, B, A, B ...), with the
median over the repeats: these machines are shared and noisy, so absolute times mean little.
Wall time comes from ``time.perf_counter`` around each process; peak memory from the
kernel's accounting of the finished child (``os.wait4``'s ``ru_maxrss``).

Cases:
- start-up, on the bundled data, against the floor each command cannot beat: Python
  importing what the command must import anyway;
- at each size: the cold first run (the index is built) against the bare C YAML parse of the
  same files; warm ``list --country``, ``quotes --search`` and ``show`` against ``jq`` on the
  same data exported as one JSON file (skipped when jq is not installed), with peak memory;
- the same at 100,000 people with the whole dataset in one YAML file (``--file-sizes``), the
  layout the issue's own figures describe: one file to parse, one file to check for changes;
- warm ``show`` at the largest size beside the smallest, in turn, as every run makes it.

The results replace the table between the markers in benchmarks/README.md (a partial run,
such as ``--sizes`` with no sizes for the start-up rows only, keeps the other rows).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
README = HERE / "README.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
COMMANDS_BEGIN, COMMANDS_END = "<!-- commands:begin -->", "<!-- commands:end -->"
# Every command once more, warm, in a pipe (plain text), at the largest folder size: what
# a user waits for after the first run. Each matches something in a generated dataset.
EVERY_COMMAND = [
    ["list", "--country", "Italy"],
    ["list", "--year", "2016"],
    ["count", "--by", "country"],
    ["count", "--by", "year", "--since", "2010"],
    ["show", "synthetic-000042"],
    ["quotes", "--person", "synthetic-000042"],
    ["quotes", "--search", "banking", "--limit", "20"],
    ["search", "embassy"],
    ["search", "Choe Chol"],
    ["timeline", "--person", "synthetic-000042"],
    ["timeline", "--year", "2016", "--limit", "20"],
    ["sources", "--person", "synthetic-000042"],
    ["sources", "--kind", "news", "--limit", "20"],
    ["sources"],
    ["stats"],
    ["cite", "synthetic-000042"],
    ["validate"],
]
PY = sys.executable
DEFECT = str(Path(sys.executable).parent / "defect")
# The least work each case needs (floors.py), imported: a script run by name is compiled
# again on every run, which a start-up floor would pay and defect does not.
FLOORS = [PY, "-c", f"import sys; sys.path.insert(0, {str(HERE)!r}); import floors; "
          "floors.main(sys.argv[1:])"]  # fmt: skip
FLOOR = "the floor under the row above"


@dataclass
class Run:
    wall: float
    peak_mib: float
    code: int


def run_once(argv: list[str], env: dict[str, str]) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(wall, usage.ru_maxrss / 1024, proc.returncode)


@dataclass
class Pair:
    label: str
    a: list[Run]
    b: list[Run]

    @property
    def ratio(self) -> float:
        return statistics.median(x.wall / y.wall for x, y in zip(self.a, self.b, strict=True))

    def median(self, side: list[Run]) -> float:
        return statistics.median(r.wall for r in side)

    def peak(self, side: list[Run]) -> float:
        return max(r.peak_mib for r in side)


def pair(
    label: str,
    a: list[str],
    b: list[str],
    repeat: int,
    env: dict[str, str],
    warmup: int = 1,
    before_a: list[str] | None = None,
) -> Pair:
    """Run A and B in turn ``repeat`` times after ``warmup`` rounds; ``before_a`` runs (not
    timed) before every A, e.g. to empty the cache for a cold run."""
    runs_a: list[Run] = []
    runs_b: list[Run] = []
    for i in range(warmup + repeat):
        if before_a:
            subprocess.run(before_a, check=True)
        ra, rb = run_once(a, env), run_once(b, env)
        # A floor that fails (an import moved, say) would be timed as a fast floor.
        for argv, done in ((a, ra), (b, rb)):
            if done.code != 0:
                raise SystemExit(f"{label}: {' '.join(argv)} exited {done.code}")
        if i >= warmup:
            runs_a.append(ra)
            runs_b.append(rb)
    result = Pair(label, runs_a, runs_b)
    print(f"{label}: {result.ratio:.2f}x ({result.median(runs_a) * 1000:.0f} ms vs "
          f"{result.median(runs_b) * 1000:.0f} ms)", flush=True)  # fmt: skip
    return result


def newest_index(cache: Path) -> str:
    """The index that defect built last in ``cache``: the one of the dataset just read."""
    return str(max(cache.glob("index-*.sqlite"), key=lambda p: p.stat().st_mtime_ns))


def dataset(size: int) -> Path:
    target = OUT / f"people-{size}"
    if not (target / "people").is_dir():
        print(f"generating {size:,} people in {target} ...", flush=True)
        subprocess.run(
            [PY, str(HERE / "generate.py"), "--people", str(size), "--out", str(target)],
            check=True,
        )
    return target


def dataset_file(size: int) -> Path:
    target = OUT / f"single-{size}.yaml"
    if not target.exists():
        print(f"generating {size:,} people in {target} ...", flush=True)
        subprocess.run(
            [PY, str(HERE / "generate.py"), "--people", str(size), "--layout", "file",
             "--out", str(target)], check=True,
        )  # fmt: skip
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument(
        "--file-sizes", type=int, nargs="*", default=[100000],
        help="sizes measured again with the whole dataset in one file",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds per case by size")
    parser.add_argument(
        "--startup-repeat", type=int, default=15, help="timed rounds per start-up case"
    )
    parser.add_argument("--cold-repeat", type=int, default=2, help="rounds for cold runs")
    parser.add_argument(
        "--commands-size", type=int, default=100000,
        help="every command, warm, at this size (one of --sizes); 0 for none",
    )  # fmt: skip
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="defect-bench-cache-"))
    env = {**os.environ, "DEFECT_CACHE_DIR": str(cache), "COLUMNS": "100"}
    env.pop("DEFECT_DATA", None)
    rows: list[str] = []

    def row(case: str, target: str, p: Pair, memory: bool = False, faster: bool = False) -> None:
        mem = f"{p.peak(p.a):.0f} / {p.peak(p.b):.0f} MiB" if memory else ""
        # Against a peer the question is "how many times faster than jq": B / A.
        ratio = f"{1 / p.ratio:.2f}× faster" if faster else f"{p.ratio:.2f}×"
        rows.append(
            f"| {case} | {ratio} | {p.median(p.a) * 1000:,.0f} ms | "
            f"{p.median(p.b) * 1000:,.0f} ms | {mem} | {target} |"
        )

    # --- start-up on the bundled data ------------------------------------------------------
    subprocess.run([DEFECT, "list"], env=env, stdout=subprocess.DEVNULL, check=True)
    from defectcli.dataset.locate import bundled_data_root  # where the measured copy reads

    bundled, index = str(bundled_data_root()), newest_index(cache)
    help_yardstick = [PY, "-c", "import click"]
    row(
        "`defect --help` / `python -c 'import click'`",
        "≤ 1.10×",
        pair("help", [DEFECT, "--help"], help_yardstick, args.startup_repeat, env),
    )
    row(
        "floor: the same help from a bare Click group / `python -c 'import click'`",
        FLOOR,
        pair("help floor", [*FLOORS, "help"], help_yardstick, args.startup_repeat, env),
    )
    list_yardstick = [PY, "-c", "import click, json"]
    row(
        "`defect list --format json` / `python -c 'import click, json'`",
        "≤ 1.15×",
        pair(
            "list json",
            [DEFECT, "list", "--format", "json"],
            list_yardstick,
            args.startup_repeat,
            env,
        ),
    )
    row(
        "floor: Click, a stat a data file, every person decoded from the index and written "
        "as JSON / `python -c 'import click, json'`",
        FLOOR,
        pair("list floor", [*FLOORS, "list", bundled, index], list_yardstick,
             args.startup_repeat, env),
    )  # fmt: skip
    # The largest card as a terminal shows it (a table, in colour; --no-pager, a group
    # option, so that no pager is timed), drawn from the record on every run.
    card = [DEFECT, "--no-pager", "show", "Ri Il Gyu", "--format", "table", "--color", "always"]
    card_floor = [PY, "-c", "import click, rich.console, rich.table, rich.panel"]
    row(
        '`defect show "Ri Il Gyu"` card / '
        "`python -c 'import click, rich.console, rich.table, rich.panel'`",
        "≤ 1.6×",
        pair("show card", card, card_floor, args.startup_repeat, env),
    )
    row(
        "floor: Click, a stat a data file, the record and its sources drawn as one Rich panel "
        "/ `python -c 'import click, rich.console, rich.table, rich.panel'`",
        FLOOR,
        pair("card floor", [*FLOORS, "card", bundled, index, "ri-il-gyu"], card_floor,
             args.startup_repeat, env),
    )  # fmt: skip

    jq = shutil.which("jq")
    show_warm: dict[int, float] = {}
    show_warm_file: dict[int, float] = {}

    def measure(size: int, layout: str) -> None:
        """The cold and warm rows at one size, for one layout of the same records."""
        if layout == "file":
            data = dataset_file(size)
            files = [str(data)]
            label = f"{size:,} people in one file"
            exported = OUT / f"single-{size}.json"
        else:
            data = dataset(size)
            files = sorted(str(p) for p in data.rglob("*.yaml"))
            label = f"{size:,} people"
            exported = OUT / f"people-{size}.json"
        listing = OUT / f"files-{layout}-{size}.txt"
        listing.write_text("\n".join(files), encoding="utf-8")
        parse = (
            "import sys, yaml\n"
            "for f in open(sys.argv[1]).read().split('\\n'):\n"
            "    yaml.load(open(f, 'rb'), Loader=yaml.CSafeLoader)\n"
        )
        wipe = [PY, "-c", f"import shutil; shutil.rmtree({str(cache)!r}, ignore_errors=True)"]
        cold = pair(f"cold {layout} {size}", [DEFECT, "--data", str(data), "list", "--format",
                    "json"], [PY, "-c", parse, str(listing)], args.cold_repeat, env, warmup=0,
                    before_a=wipe)  # fmt: skip
        row(f"{label}: cold first run / bare `CSafeLoader` parse", "≤ 1.5×", cold, True)
        if layout == "folder":  # (in one file the target is met, and each round takes minutes)
            schemas = str(bundled_data_root() / "schema")
            floor_argv = [*FLOORS, "cold", str(listing), schemas]
            bare = [PY, "-c", parse, str(listing)]
            floor = pair(f"cold floor {size}", floor_argv, bare, args.cold_repeat, env, warmup=0)
            row(f"{label}: floor: the parse, fastjsonschema, one SQLite table / bare "
                "`CSafeLoader` parse", FLOOR, floor, True)  # fmt: skip
        subprocess.run([DEFECT, "--data", str(data), "list"], env=env,
                       stdout=subprocess.DEVNULL, check=True)  # fmt: skip
        if jq and not exported.exists():
            # jq reads the dataset itself, in the form the data files hold it: the export's
            # "dataset". Its other lists are views that our index makes; jq gets none of them.
            whole = exported.with_name(f"export-{exported.name}")
            subprocess.run([DEFECT, "--data", str(data), "export", "--format", "json",
                            "--output", str(whole), "--force"], env=env, check=True)  # fmt: skip
            with exported.open("w", encoding="utf-8") as handle:
                subprocess.run([jq, ".dataset", str(whole)], stdout=handle, check=True)
            whole.unlink()
        base = [DEFECT, "--data", str(data)]
        index = newest_index(cache)
        cases = [
            ("list --country Italy --format json", [*base, "list", "--country", "Italy",
             "--format", "json"], '[.people[] | select(.defection.country == "Italy")]',
             "≥ 15× faster, ≤ ¼ memory"),
            ("quotes --search banking --format json", [*base, "quotes", "--search", "banking",
             "--format", "json"], '[.people[].quotes[]? | select(.text | test("\\\\bbanking";'
             ' "i"))]', "≥ 10× faster"),
            ("show synthetic-000042 --format json", [*base, "show", "synthetic-000042",
             "--format", "json"], '.people[] | select(.id == "synthetic-000042")', ""),
        ]  # fmt: skip
        floors = {  # the least work of the cases with a target against jq
            "list": ("a stat a data file, the matches decoded from the index and written as "
                     "JSON", [*FLOORS, "country", str(listing), index, "italy"]),
            "quotes": ("one full-text query, the matches decoded and written as JSON",
                       [*FLOORS, "quotes", str(data), index, "banking"]),
        }  # fmt: skip
        warm = show_warm_file if layout == "file" else show_warm
        if layout == "folder" and size == max(args.sizes):
            # The floor of any freshness check that stats each data file: a bare loop.
            stats = (
                "import os, sys\nfor f in open(sys.argv[1]).read().split('\\n'):\n    os.stat(f)\n"
            )
            p = pair(f"show vs stat {size}", [*base, "show", "synthetic-000042", "--format",
                     "json"], [PY, "-c", stats, str(listing)], args.repeat, env)  # fmt: skip
            row(f"{label}: warm `show synthetic-000042 --format json` / a bare Python loop "
                "that stats every data file", "≤ 1.5×", p)  # fmt: skip
        for case, argv, program, target in cases:
            if jq:
                p = pair(f"{case} {layout} {size}", argv, [jq, program, str(exported)],
                         args.repeat, env)  # fmt: skip
                row(f"{label}: warm `{case}` / `jq`", target, p, True, faster=True)
                if (command := case.split()[0]) in floors:
                    what, floor_argv = floors[command]
                    p = pair(f"{case} floor {layout} {size}", floor_argv,
                             [jq, program, str(exported)], args.repeat, env)  # fmt: skip
                    row(f"{label}: floor: {what} / `jq`", FLOOR, p, True, faster=True)
                if case.startswith("show"):
                    warm[size] = p.median(p.a)
            elif case.startswith("show"):
                runs = [run_once(argv, env) for _ in range(args.repeat)]
                warm[size] = statistics.median(r.wall for r in runs)

    for size in args.sizes:
        measure(size, "folder")
    for size in args.file_sizes:
        measure(size, "file")
    if len(show_warm) > 1:
        small, large = min(show_warm), max(show_warm)
        rows.append(
            f"| warm `show` at {large:,} / at {small:,} people | "
            f"{show_warm[large] / show_warm[small]:.2f}× | {show_warm[large] * 1000:,.0f} ms | "
            f"{show_warm[small] * 1000:,.0f} ms |  | none (the stat loop's row is the target) |"
        )
    if show_warm and show_warm_file:
        small, large = min(show_warm), max(show_warm_file)
        rows.append(
            f"| warm `show` at {large:,} people in one file / at {small:,} people | "
            f"{show_warm_file[large] / show_warm[small]:.2f}× | "
            f"{show_warm_file[large] * 1000:,.0f} ms | {show_warm[small] * 1000:,.0f} ms |  | "
            "≤ 1.3× |"
        )
    if len(args.sizes) > 1:
        show_large_and_small(min(args.sizes), max(args.sizes), args.repeat, env, row)
    commands: list[str] = []
    if args.commands_size in args.sizes:
        commands = every_command(dataset(args.commands_size), args.repeat, env)
    shutil.rmtree(cache, ignore_errors=True)
    import defectcli  # how the measured command is installed, as its interpreter sees it

    install = "a regular" if "site-packages" in defectcli.__file__ else "an editable"
    header = [
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, from {install} install. "
        f"Start-up rows: {args.startup_repeat} timed rounds; rows by size: {args.repeat} "
        f"(cold: {args.cold_repeat}). Each figure is the median of the per-round ratios A / B."
        + ("" if jq else " jq was not installed."),
        "",
        "| case (A / B) | ratio | A | B | peak memory A / B | target |",
        "|---|---|---|---|---|---|",
    ]
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    # This run's rows in the order measured (a floor under its case); a partial run (say
    # --sizes with no sizes: start-up only) keeps the other rows after them.
    measured = {r.split(" | ")[0] for r in rows}
    old = [
        line for line in text[start:end].splitlines() if line.startswith("| ") and "---" not in line
    ]
    merged = rows + [line for line in old[1:] if line.split(" | ")[0] not in measured]
    table = "\n".join(header + merged)
    text = text[:start] + "\n" + table + "\n" + text[end:]
    if commands:
        start, end = text.index(COMMANDS_BEGIN) + len(COMMANDS_BEGIN), text.index(COMMANDS_END)
        lines = [
            f"Measured {time.strftime('%Y-%m-%d')} at {args.commands_size:,} people (folder), "
            f"the index built before; {args.repeat} timed rounds, medians.",
            "",
            "| command (A) | A | the freshness check alone (B) | A / B | lines printed |",
            "|---|---|---|---|---|",
            *commands,
        ]
        text = text[:start] + "\n" + "\n".join(lines) + "\n" + text[end:]
        print("\n".join(lines))
    README.write_text(text, encoding="utf-8")
    print(table)


def show_large_and_small(
    small: int, large: int, repeat: int, env: dict[str, str], row: Callable[[str, str, Pair], None]
) -> None:
    """Warm ``show`` at the largest size beside the smallest, in turn in one run, as every
    run makes it (one stat a file at the large size; its indexes are built by the rows
    before)."""
    show = ["show", "synthetic-000042", "--format", "json"]
    at_small = [DEFECT, "--data", str(dataset(small)), *show]
    large_base = [DEFECT, "--data", str(dataset(large))]
    at_large = [*large_base, *show]
    p = pair(f"show {large} / {small}", at_large, at_small, repeat, env)
    row(f"warm `show` at {large:,} / at {small:,} people, in turn", "none (as above)", p)


def every_command(data: Path, repeat: int, env: dict[str, str]) -> list[str]:
    """A table row for each of ``EVERY_COMMAND`` on ``data`` (its index already built),
    beside what every run of a command must do first at this size: check every data file
    for changes (B: that check alone, in a Python process of its own)."""
    check = [PY, "-c", "import sys; from defectcli.index import cache; "
             "cache.fingerprint(sys.argv[1])", str(data)]  # fmt: skip
    rows = []
    for command in EVERY_COMMAND:
        argv = [DEFECT, "--data", str(data), *command]
        p = pair(" ".join(command), argv, check, repeat, env)
        printed = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
        rows.append(
            f"| `defect {' '.join(command)}` | {p.median(p.a) * 1000:,.0f} ms | "
            f"{p.median(p.b) * 1000:,.0f} ms | {p.ratio:.2f}× | "
            f"{len(printed.stdout.splitlines()):,} |"
        )
    return rows


if __name__ == "__main__":
    main()
