"""Kill a worker with SIGKILL in the middle of a load and check that nothing was lost,
applied twice or left unanswered:

    python -m benchmarks.chaos [--commands 3000]

The ``kill`` scenario of ``benchmarks.faults`` with a single kill half-way: ``--commands``
commands at 150/s (each published twice, as a platform redelivery would) plus chat, on a
private PostgreSQL and Redis, two real worker processes; one is SIGKILLed mid-batch half-way
and replaced. Prints the same JSON as ``python -m benchmarks.faults kill``; exits 1 if a
check fails. The suite runs the repeated-kill version (``tests/faults``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging

from benchmarks.faults import parse_args, run_scenario

RATE = 150


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--log-dir", default=None)
    own = parser.parse_args()
    seconds = own.commands / RATE + 0.5
    argv = ["kill", "--commands", str(own.commands), "--rate", str(RATE),
            "--seconds", f"{seconds:.1f}", "--every-s", f"{seconds / 2:.1f}"]
    if own.log_dir:
        argv += ["--log-dir", own.log_dir]
    logging.basicConfig(level=logging.ERROR)
    result = asyncio.run(run_scenario(parse_args(argv)))
    print(json.dumps(result, indent=2, default=str))
    raise SystemExit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
