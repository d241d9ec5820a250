"""What every benchmark shares: one argument parser, progress messages, the report.

A benchmark is a :class:`Benchmark`: its name, its sizes (positive integers
such as ``--records``), its number of repeats, and a ``measure`` function
that returns a dict of figures. ``gongkai bench NAME [--json] [--repeat R]
[--SIZE N …]`` parses the options once here, runs ``measure`` and prints the
figures (one JSON object with ``--json``); progress goes to standard error,
never with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

Say = Callable[[str], None]


@dataclass(frozen=True)
class Size:
    """A positive integer option of a benchmark (``--records 100000``)."""

    option: str
    default: int
    help: str

    @property
    def dest(self) -> str:
        return self.option.lstrip("-").replace("-", "_")


@dataclass(frozen=True)
class Benchmark:
    """One benchmark: ``measure(options, say=…)`` returns its figures."""

    name: str
    description: str
    measure: Callable[..., dict[str, Any]]
    sizes: tuple[Size, ...] = ()
    repeat: int | None = None  # default number of repeats; None: the benchmark does not repeat
    # extra options beyond the shared ones (e.g. the pages benchmark's load generator)
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None
    # checks of the other options; returns a Chinese error message or None
    check: Callable[[argparse.Namespace], str | None] | None = None
    # the human-readable report; default: one "key: value" line a figure
    lines: Callable[[dict[str, Any]], list[str]] | None = None
    # whether the run counts as passed (the exit code); default: always
    passed: Callable[[dict[str, Any]], bool] = field(default=lambda result: True)
    target: str = ""  # one line naming the target, printed after the default report


def parser_for(bench: Benchmark) -> argparse.ArgumentParser:
    """The one argument parser: ``--json``, ``--repeat`` and the benchmark's sizes."""
    parser = argparse.ArgumentParser(prog=f"gongkai bench {bench.name}", description=bench.description)
    parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    if bench.repeat is not None:
        parser.add_argument("--repeat", type=int, default=bench.repeat,
                            help=f"每项测量重复的次数，取最好的一次（默认{bench.repeat}）")
    for size in bench.sizes:
        parser.add_argument(size.option, type=int, default=size.default, help=f"{size.help}（默认{size.default}）")
    if bench.add_arguments is not None:
        bench.add_arguments(parser)
    return parser


def parse(bench: Benchmark, argv: Sequence[str]) -> argparse.Namespace | str:
    """The options, or a Chinese error message (sizes and repeats must be positive)."""
    args = parser_for(bench).parse_args(list(argv))
    wrong = [s.option for s in bench.sizes if getattr(args, s.dest) < 1]
    if bench.repeat is not None and args.repeat < 1:
        wrong.append("--repeat")
    if wrong:
        return f"错误：{'、'.join(wrong)} 应为正数"
    error = bench.check(args) if bench.check is not None else None
    return error or args


def default_lines(result: dict[str, Any]) -> list[str]:
    width = max((len(key) for key in result), default=0)
    return [f"{key:>{width}}: {value}" for key, value in result.items()]


def run(bench: Benchmark, argv: Sequence[str], *, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    """Parse, measure, print; returns the exit code (0 passed, 1 target missed, 2 bad options)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = parse(bench, argv)
    except SystemExit as exc:  # argparse has printed its message
        return exc.code if isinstance(exc.code, int) else 2
    if isinstance(args, str):
        stderr.write(args + "\n")
        return 2

    def say(message: str) -> None:
        if not args.json:
            stderr.write(message + "\n")
            stderr.flush()

    result = bench.measure(args, say=say)
    if args.json:
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        lines = bench.lines(result) if bench.lines is not None else default_lines(result)
        if bench.lines is None and bench.target:
            lines.append(bench.target)
        stdout.write("\n".join(lines) + "\n")
    return 0 if bench.passed(result) else 1
