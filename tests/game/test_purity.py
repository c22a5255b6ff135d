"""game/ is the pure core: it must not import any I/O library."""

from __future__ import annotations

import ast
from pathlib import Path

GAME = Path(__file__).resolve().parents[2] / "game"
FORBIDDEN = {
    "tortoise", "redis", "arq", "twitchio", "discord", "websockets", "asyncpg", "aiohttp",
    "httpx", "requests", "socket", "asyncio", "subprocess", "kingpin", "jobs", "models",
    "platforms", "workers", "limits", "os", "sqlite3", "urllib",
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_game_imports_no_io_library() -> None:
    files = sorted(GAME.rglob("*.py"))
    assert files
    offenders = {str(f.relative_to(GAME)): imported_roots(f) & FORBIDDEN for f in files}
    assert {f: bad for f, bad in offenders.items() if bad} == {}


def test_the_check_catches_an_io_import(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("import redis\nfrom tortoise import fields\n")
    assert imported_roots(sample) & FORBIDDEN == {"redis", "tortoise"}
