"""The economy simulation (game/simulate.py) and `kingpin economy simulate`."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from game.economy_report import BAIL, CHAT, PLAY, WAGERS
from game.rules import DEFAULT_RULES, Tier
from game.simulate import (
    ARCHETYPES,
    ConfigError,
    SimConfig,
    final_table,
    load_config,
    rules_with,
    simulate,
    summary,
)

KINGPIN = Path(sys.executable).parent / "kingpin"
SMALL = SimConfig(players=50, days=3, seed=11)


@pytest.fixture(scope="module")
def small_run() -> list:
    return simulate(SMALL)


def test_a_seed_gives_the_same_run(small_run: list) -> None:
    again = simulate(SMALL)
    assert [d.report for d in again] == [d.report for d in small_run]
    other = simulate(dataclasses.replace(SMALL, seed=12))
    assert [d.report for d in other] != [d.report for d in small_run]


def test_money_is_conserved_every_day(small_run: list) -> None:
    for d in small_run:
        r = d.report
        assert r.transfer_net == 0  # flips settle at once: no stake stays in escrow
        assert r.supply - d.supply_before == r.net_change == r.created_total - r.destroyed_total
    assert small_run[0].supply_before == SMALL.players * SMALL.start_wealth
    assert small_run[-1].report.supply == sum(d.report.net_change for d in small_run)


def test_the_run_moves_money_through_the_real_rules(small_run: list) -> None:
    created = {s.label for d in small_run for s in d.report.created}
    destroyed = {s.label for d in small_run for s in d.report.destroyed}
    assert {PLAY, CHAT} <= created
    assert WAGERS in destroyed
    games = {g.game for d in small_run for g in d.report.games if g.rounds}
    assert {"slots", "blackjack", "coinflip", "lottery"} <= games
    for d in small_run:
        assert 0 < d.report.active_players <= SMALL.players
        assert d.report.players == SMALL.players
        designed = {g.game: g.designed for g in d.report.games}
        assert designed["lottery"] == DEFAULT_RULES.lottery_pool_share
        assert designed["coinflip"] == 1


def test_start_wealth_is_counted_and_conserved() -> None:
    days = simulate(SimConfig(players=20, days=2, seed=3, start_wealth=5_000))
    assert days[0].supply_before == 100_000
    assert days[-1].report.supply == 100_000 + sum(d.report.net_change for d in days)


def test_chat_earns_at_most_once_a_minute() -> None:
    chatter = dataclasses.replace(ARCHETYPES["casual"], present=1.0, session_minutes=10,
                                  messages=300, plays=0, robs=0, slots=0, checkin=0)
    config = SimConfig(players=10, days=1, seed=1, mix={"casual": 1.0},
                       archetypes={**ARCHETYPES, "casual": chatter})
    (day,) = simulate(config)
    per_player = day.report.created_by(CHAT) / 10
    assert 0 < per_player <= (10 + 1) * DEFAULT_RULES.chat_wealth  # 300 messages, ≤ 11 rewards


def test_rules_overrides_change_the_run() -> None:
    config = load_config("[rules]\nplay_bust_chance = 0\n", SimConfig(players=50, days=2,
                                                                    seed=11))
    assert config.rules.play_bust_chance == 0.0
    assert all(d.report.destroyed_by(BAIL) == 0 for d in simulate(config))
    assert any(d.report.destroyed_by(BAIL) > 0 for d in simulate(SimConfig(players=50, days=2,
                                                                           seed=11)))


def test_the_config_file_sets_everything_by_name() -> None:
    config = load_config("""
players = 120
days = 4
seed = 9
[mix]
grinder = 1
[archetypes.grinder]
plays = 50
slots_bet = "0.2"
bails = false
[rules]
bail_share = "0.2"
gamble_max_bets = [1, 2, 3, 4, 5, 6]
checkin_wealth_base = 10
[rules.play_table.Kingpin]
positive_wealth = [1, 2]
""")
    assert (config.players, config.days, config.seed) == (120, 4, 9)
    assert config.mix == {"grinder": 1.0}
    assert config.archetypes["grinder"].plays == 50.0
    assert config.archetypes["grinder"].slots_bet == Decimal("0.2")
    assert config.archetypes["grinder"].bails is False
    assert config.rules.bail_share == Decimal("0.2")
    assert config.rules.gamble_max_bets == (1, 2, 3, 4, 5, 6)
    assert config.rules.play_table[Tier.KINGPIN].positive_wealth == (1, 2)
    assert config.rules.play_table[Tier.PUNK] == DEFAULT_RULES.play_table[Tier.PUNK]


@pytest.mark.parametrize(("text", "named"), [
    ("bogus = 1", "bogus"),
    ("[rules]\nplay_cooldown = 10", "rules.play_cooldown"),
    ("[mix]\nwhale = 0.5", "mix.whale"),
    ("[archetypes.grinder]\nmesages = 3", "archetypes.grinder.mesages"),
    ("[archetypes.whale]\nplays = 3", "archetypes.whale"),
    ("[rules.play_table.boss]\npositive_wealth = [1, 2]", "rules.play_table.boss"),
    ("[rules.play_table.punk]\npositive = [1, 2]", "rules.play_table.punk.positive"),
])
def test_an_unknown_key_is_refused(text: str, named: str) -> None:
    with pytest.raises(ConfigError, match="unknown key") as caught:
        load_config(text)
    assert named in str(caught.value)


@pytest.mark.parametrize("text", [
    "players = 'many'", "[rules]\nplay_bust_chance = 'x'", "[rules]\nbail_bounds = [1]",
    "[archetypes.casual]\npresent = 2", "not toml ==", "players = 1",
    "[archetypes.daily]\nslots_bet = 1.5",
])
def test_a_bad_value_is_refused(text: str) -> None:
    with pytest.raises(ConfigError):
        load_config(text)


def test_rules_with_keeps_the_rest() -> None:
    rules = rules_with({"jail_minutes": 5})
    assert rules.jail_minutes == 5
    assert dataclasses.replace(rules, jail_minutes=DEFAULT_RULES.jail_minutes) == DEFAULT_RULES


def test_the_final_table_and_summary(small_run: list) -> None:
    table = final_table(small_run).splitlines()
    assert table[0].split() == ["day", "active", "supply", "net", "change", "per", "player",
                                "growth", "Gini", "top", "1%"]
    assert len(table) == 2 + len(small_run)
    assert table[2].split()[0] == "1"
    assert "supply $0 →" in summary(small_run)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KINGPIN), "economy", "simulate", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd,
                          env={"PATH": str(KINGPIN.parent), "PYTHONIOENCODING": "utf-8"})


def test_the_command_runs_end_to_end(tmp_path: Path) -> None:
    done = run_cli("--players", "50", "--days", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("📊 Economy (day 1): supply $")
    assert lines[1].startswith("📊 Economy (day 2): supply $")
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["day", "active"])
    assert [line.split()[0] for line in lines[header + 2:header + 4]] == ["1", "2"]
    assert "2 days: supply $0 →" in done.stdout
    assert "simulated 50 players × 2 days" in done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written: no database, no data dir


def test_the_command_refuses_a_config_with_an_unknown_key(tmp_path: Path) -> None:
    config = tmp_path / "sim.toml"
    config.write_text("[rules]\nplay_bust_chanse = 0.1\n", encoding="utf-8")
    done = run_cli("--players", "50", "--days", "2", "--config", str(config))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "unknown key rules.play_bust_chanse" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_command_refuses_a_missing_config(tmp_path: Path) -> None:
    done = run_cli("--config", str(tmp_path / "nope.toml"))
    assert done.returncode == 2 and "cannot read" in done.stderr
