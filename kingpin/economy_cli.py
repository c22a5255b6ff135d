"""``kingpin economy …``: the economy's tools for operators and broadcasters.

``simulate [--players N] [--days D] [--config FILE] [--seed S] [--png OUT.png]`` runs
game/simulate.py (the pure rules over a synthetic population; no database, no Redis) and
prints each simulated day's one-line report (the same report as ``!economy``), then the
final table and what it adds up to. ``--config`` is the TOML described in game/simulate.py
(archetype mix, archetype habits, Rules fields by name); an unknown key is refused.
``--png`` draws the money supply and the Gini index over the days; it needs matplotlib,
which is optional (not a dependency of kingpin). A refusal is one line on stderr and exit
status 2; the run itself exits 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from game.economy_report import one_line
from game.simulate import ConfigError, DayResult, SimConfig, final_table, load_config, run, summary

PROG = "kingpin economy"


class OneLineParser(argparse.ArgumentParser):
    """A usage error is one line and exit status 2 (like ``kingpin community``)."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (--help shows the usage)", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog=PROG, description="The economy's tools (no database needed)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    sim = sub.add_parser(
        "simulate", help="the pure rules over a synthetic population: a report per day",
        description="Simulate casual, daily and grinding players over the pure rules and print"
                    " the economy report of every day, then a table (nothing is stored).")
    sim.add_argument("--players", type=int, help="how many players (default 1000)")
    sim.add_argument("--days", type=int, help="how many days (default 30)")
    sim.add_argument("--config", metavar="FILE", type=Path,
                     help="TOML: players, days, seed, start_wealth, [mix], [archetypes.*],"
                          " [rules] (see game/simulate.py)")
    sim.add_argument("--seed", type=int, help="the random seed (default 0)")
    sim.add_argument("--png", metavar="OUT.png", type=Path,
                     help="draw the money supply and the Gini index (needs matplotlib)")
    return parser


def refuse(message: str) -> int:
    print(f"{PROG} simulate: {message}", file=sys.stderr)
    return 2


def config_of(args: argparse.Namespace) -> SimConfig:
    base = SimConfig()
    if args.config is not None:
        try:
            text = args.config.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read {args.config}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{args.config} is not UTF-8 text") from None
        base = load_config(text)
    flags: dict[str, Any] = {k: getattr(args, k) for k in ("players", "days", "seed")
                             if getattr(args, k) is not None}
    return dataclasses.replace(base, **flags)


def draw_png(days: Sequence[DayResult], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display
    from matplotlib import pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    x = [d.day for d in days]
    fig, (supply, gini) = plt.subplots(2, 1, sharex=True, figsize=(8, 6))
    supply.plot(x, [d.report.supply for d in days], marker=".")
    supply.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"${v:,.0f}"))
    supply.set_ylabel("money supply")
    supply.set_title("Kingpin economy simulation")
    supply.grid(True, alpha=0.3)
    gini.plot(x, [float(d.report.gini) for d in days], marker=".", color="tab:red")
    gini.set_ylabel("Gini index")
    gini.set_ylim(0, 1)
    gini.set_xlabel("day")
    gini.xaxis.set_major_locator(MaxNLocator(integer=True))
    gini.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def simulate(args: argparse.Namespace) -> int:
    try:
        config = config_of(args)
    except ConfigError as exc:
        return refuse(str(exc))
    if args.png is not None and importlib.util.find_spec("matplotlib") is None:
        return refuse("--png needs matplotlib, and matplotlib is not installed"
                      " (pip install matplotlib); nothing was simulated")
    started = time.perf_counter()
    days: list[DayResult] = []
    for day in run(config):
        days.append(day)
        print(one_line(day.report), flush=True)
    elapsed = time.perf_counter() - started
    print()
    print(final_table(days))
    print()
    print(summary(days))
    print(f"simulated {config.players:,} players × {config.days} days in {elapsed:.1f} s",
          file=sys.stderr)
    if args.png is not None:
        try:
            draw_png(days, args.png)
        except OSError as exc:
            return refuse(f"cannot write {args.png}: {exc.strerror or exc}")
        print(f"wrote {args.png}", file=sys.stderr)
    return 0


def main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    if hasattr(sys.stdout, "reconfigure"):  # the reports carry emoji; never die on a pipe
        sys.stdout.reconfigure(errors="replace")
    try:
        if args.command == "simulate":
            return simulate(args)
    except KeyboardInterrupt:
        return 130
    raise AssertionError(args.command)  # pragma: no cover: argparse allows only these
