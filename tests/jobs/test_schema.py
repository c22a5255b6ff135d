"""The schema the migrations build: what the hot queries rely on."""

from __future__ import annotations

from jobs.context import AppContext
from tests.support import fetch


async def test_only_the_unique_key_leads_with_community_and_platform(app: AppContext) -> None:
    """The claim finds a player by (community, platform, platform user id): an index sharing
    that prefix (names by platform did) tempts the planner into scanning a platform's names."""
    rows = await fetch(
        "SELECT i.indexrelid::regclass::text AS name, i.indisunique AS uniq,"
        " array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY AS k(n, o)"
        "  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o)"
        "  AS cols"
        " FROM pg_index i WHERE i.indrelid = 'player_identities'::regclass")
    leading = [r for r in rows if list(r["cols"][:2]) == ["community_id", "platform"]]
    assert [(r["uniq"], list(r["cols"])) for r in leading] == [
        (True, ["community_id", "platform", "platform_user_id"])], rows
    assert any(list(r["cols"]) == ["community_id", "username_key", "platform"] for r in rows)


async def test_no_column_has_two_foreign_keys(app: AppContext) -> None:
    rows = await fetch(
        "SELECT conrelid::regclass::text AS tbl, conkey::text AS cols, COUNT(*) AS n"
        " FROM pg_constraint WHERE contype = 'f' GROUP BY 1, 2 HAVING COUNT(*) > 1")
    assert rows == []


HOT_TABLES = ("processed_events", "game_events", "cooldowns", "jail")


async def test_hot_tables_take_no_lock_on_their_community(app: AppContext) -> None:
    """A foreign key to communities makes every row written lock its community's one row
    (FOR KEY SHARE): with every command writing three of them, all of a community's commands
    meet on one row. The hot tables keep the column and its index, not the constraint; the
    tables written rarely keep theirs."""
    rows = await fetch(
        "SELECT conrelid::regclass::text AS tbl FROM pg_constraint"
        " WHERE contype = 'f' AND confrelid = 'communities'::regclass")
    tables = {r["tbl"] for r in rows}
    assert tables.isdisjoint(HOT_TABLES), tables
    assert {"users", "player_identities", "community_channels"} <= tables
    for table in HOT_TABLES:  # the column stays indexed (leading a key or index)
        leads = await fetch(
            "SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = i.indkey[0] WHERE i.indrelid = $1::regclass"
            " AND a.attname = 'community_id'", table)
        assert leads, table


async def test_counter_updates_can_stay_on_their_page(app: AppContext) -> None:
    """Commands and the projector update counters all the time: no index may cover one (an
    update of an indexed column writes index entries instead of a HOT update in place), and
    the pages keep room for the next row version."""
    counters = {
        "users": {"wealth", "xp", "level", "lifetime_wealth_earned", "messages_sent",
                  "total_play_count", "rob_count", "rob_success_count", "updated_at"},
        "leaderboard_snapshots": {"wealth_earned", "xp_earned", "messages", "plays",
                                  "updated_at"},
    }
    for table, columns in counters.items():
        rows = await fetch(
            "SELECT a.attname::text AS col FROM pg_index i JOIN pg_attribute a"
            " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
            " WHERE i.indrelid = $1::regclass", table)
        assert not {r["col"] for r in rows} & columns, (table, rows)
        options = await fetch("SELECT reloptions FROM pg_class WHERE oid = $1::regclass",
                              table)
        assert any(o.startswith("fillfactor=") for o in options[0]["reloptions"] or []), table
