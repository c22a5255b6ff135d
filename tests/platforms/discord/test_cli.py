"""``kingpin discord listen`` without credentials: exit 2 at once, one line naming the var."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from platforms.discord.cli import main
from platforms.discord.config import DiscordConfig

ROOT = Path(__file__).resolve().parents[3]


def test_listen_without_token_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in list(os.environ):
        if name.startswith("KINGPIN_"):
            monkeypatch.delenv(name)
    assert main(["listen"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.strip().endswith("missing KINGPIN_DISCORD_TOKEN")


def test_listen_without_token_as_a_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINGPIN_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-m", "platforms.discord.cli", "listen"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["kingpin discord listen: missing KINGPIN_DISCORD_TOKEN"]
    assert done.stdout == ""


def test_config_reads_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINGPIN_DISCORD_TOKEN", "abc")
    monkeypatch.setenv("KINGPIN_DISCORD_GUILD_IDS", "290926798626357999, 1011977515109187704")
    config = DiscordConfig(_env_file=None)  # type: ignore[call-arg]
    assert config.secret_token() == "abc"
    assert "abc" not in repr(config)
    assert config.guild_ids == [290926798626357999, 1011977515109187704]
    assert config.missing_for_listen() == []
    assert config.api_base == "https://discord.com/api/v10"
