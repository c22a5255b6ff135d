"""``kingpin community …`` run as an operator runs it (the installed ``kingpin`` script, in a
folder without a ``.env``) against the test database, and the issue's acceptance: a second
community with its own console channel, one piped script playing in both, separate balances.

Twitch's Helix and Kick's site are local stubs (``KINGPIN_TWITCH_*_URL``,
``KINGPIN_KICK_SITE_URL``); everything else is the real PostgreSQL and Redis.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
import pytest
from tortoise import connections

from kingpin.communities import create
from kingpin.services import to_asyncpg_dsn, with_database
from platforms.kick.channels import parse_channel_row
from platforms.kick.config import KickChannel
from tests.kingpin.test_log_secrets import _TwitchOAuth  # its JSON answers, quiet log

ROOT = Path(__file__).resolve().parents[2]
KINGPIN = Path(sys.executable).parent / "kingpin"

TWITCH_USERS = {"twitchdev": "141981764"}
KICK_CHANNELS = {"xqc": {"id": 668, "user_id": 676, "slug": "xqc", "chatroom": {"id": 669}}}


@dataclass
class Done:
    code: int
    out: str
    err: str

    @property
    def line(self) -> str:
        """The one line of the answer (stdout when it worked, stderr when refused)."""
        text = self.out if self.code == 0 else self.err
        lines = text.strip().splitlines()
        assert len(lines) == 1, f"one line expected, got: {text!r} / stderr {self.err!r}"
        return lines[0]


class _Stub(_TwitchOAuth):
    """Twitch's token endpoint and Helix ``/users``, and kick.com's channel JSON."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._json(200, {"access_token": "app-token-1", "expires_in": 5000000,
                         "token_type": "bearer"})

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path == "/helix/users":
            if self.headers.get("Authorization") != "Bearer app-token-1":
                self._json(401, {"message": "invalid token"})
                return
            login = parse_qs(url.query).get("login", [""])[0]
            users = ([{"id": TWITCH_USERS[login], "login": login, "display_name": login}]
                     if login in TWITCH_USERS else [])
            self._json(200, {"data": users})
        elif url.path.startswith("/api/v2/channels/"):
            slug = url.path.rsplit("/", 1)[1]
            if slug == "walled":  # what Cloudflare answers some clients
                self._json(403, {"error": "Request blocked"})
            elif slug in KICK_CHANNELS:
                self._json(200, KICK_CHANNELS[slug])
            else:
                self._json(404, {"message": "Not found"})
        else:
            self._json(404, {})


@pytest.fixture(scope="module")
def stub() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def env(db_url: str, redis_url: str, settings: Any, tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KINGPIN_")}
    return {**base, "PYTHONPATH": str(ROOT), "KINGPIN_DATABASE_URL": db_url,
            "KINGPIN_REDIS_URL": redis_url, "KINGPIN_REDIS_PREFIX": settings.redis_prefix,
            "KINGPIN_LOG_LEVEL": "WARNING", "KINGPIN_DATA_DIR": str(tmp_path / ".kingpin")}


@pytest.fixture
def kingpin(env: dict[str, str], tmp_path: Path) -> Any:
    def run(*args: str, stdin: str | None = None, extra: dict[str, str] | None = None) -> Done:
        done = subprocess.run([str(KINGPIN), *args], input=stdin, capture_output=True,
                              text=True, env={**env, **(extra or {})}, cwd=tmp_path,
                              timeout=120, check=False)
        assert "Traceback" not in done.stderr, done.stderr
        return Done(done.returncode, done.stdout, done.stderr)
    return run


def twitch_env(stub: str) -> dict[str, str]:
    return {"KINGPIN_TWITCH_CLIENT_ID": "cid", "KINGPIN_TWITCH_CLIENT_SECRET": "csecret",
            "KINGPIN_TWITCH_OAUTH_URL": f"{stub}/oauth2",
            "KINGPIN_TWITCH_HELIX_URL": f"{stub}/helix"}


async def channels_of(slug: str) -> list[tuple[str, str, str, str]]:
    rows = await connections.get("default").execute_query_dict(
        "SELECT c.platform, c.channel_id, c.role, c.label FROM community_channels c"
        " JOIN communities m ON m.id = c.community_id WHERE m.slug = $1"
        " ORDER BY c.platform, c.role, c.channel_id", [slug])
    return [(r["platform"], r["channel_id"], r["role"], r["label"]) for r in rows]


async def community_id(slug: str) -> int:
    rows = await connections.get("default").execute_query_dict(
        "SELECT id FROM communities WHERE slug = $1", [slug])
    return int(rows[0]["id"])


async def test_create_list_show_rename(app: Any, kingpin: Any) -> None:
    assert kingpin("community", "create", "Beta", "--name", "Beta Crew").line == (
        f"created community 'beta' (id {(beta := await community_id('beta'))})")
    assert kingpin("community", "create", "gamma").line == (
        f"created community 'gamma' (id {(gamma := await community_id('gamma'))})")
    listed = kingpin("community", "list")
    assert listed.code == 0
    assert listed.out.splitlines() == [f"beta (id {beta}) 'Beta Crew': 0 channels",
                                       f"gamma (id {gamma}): 0 channels",
                                       f"local (id 1) 'Local': {len(await channels_of('local'))}"
                                       " channels"]
    assert kingpin("community", "rename", "beta", "The Beta Crew").line == (
        "renamed 'beta' to 'The Beta Crew'")
    assert kingpin("community", "add-channel", "beta", "console", "beta-room").line == (
        "added console beta-room to 'beta'")
    shown = kingpin("community", "show", "beta")
    assert shown.code == 0
    assert shown.out.splitlines() == [f"beta (id {beta}) 'The Beta Crew': 1 channel",
                                      "  console beta-room"]
    assert await channels_of("beta") == [("console", "beta-room", "chat", "beta-room")]


@pytest.mark.parametrize(("args", "says"), [
    (("create", "local"), "kingpin community create: a community called 'local' exists"),
    (("create", "no good"), "kingpin community create: 'no good' is not a slug"),
    (("create", "-x"), "kingpin community create: "),  # argparse's refusal, one line too
    (("show", "nope"), "kingpin community show: no community called 'nope'"),
    (("rename", "nope", "N"), "kingpin community rename: no community called 'nope'"),
    (("add-channel", "nope", "console", "x"), "no community called 'nope'"),
    (("add-channel", "nope", "twitch", "somebody"), "no community called 'nope'"),
    (("add-channel", "beta", "console", "local"),
     "kingpin community add-channel: console local belongs to 'local'; remove it there first"),
    (("add-channel", "beta", "console", "a room"), "is not a console channel name"),
    (("add-channel", "beta", "console", "a/b"), "is not a console channel name"),
    (("add-channel", "beta", "discord", "12ab"), "guild id '12ab' is not a Discord id"),
    (("add-channel", "beta", "discord", "1", "--feed", "x"), "feed channel id 'x' is not"),
    (("add-channel", "beta", "kick", "1", "--chatroom-id", "-3"), "is not a positive"),
    (("add-channel", "beta", "twitch", "no spaces!"), "is neither a Twitch login nor"),
    (("add-channel", "beta", "twitch", "000"), "'000' is neither a Twitch login nor"),
    (("add-channel", "beta", "mastodon", "x"), "invalid choice: 'mastodon'"),
    (("add-channel", "beta"), "kingpin community add-channel: "),
    (("remove-channel", "beta", "console", "local"), "'beta' has no console channel 'local'"),
    (("remove-channel", "nope", "console", "x"), "no community called 'nope'"),
    (("frobnicate",), "kingpin community: argument command: invalid choice"),
])
async def test_refusals_are_one_line_and_exit_2(app: Any, kingpin: Any, args: tuple[str, ...],
                                                 says: str) -> None:
    await create("beta")
    done = kingpin("community", *args)
    assert done.code == 2, done
    assert says in done.line
    assert done.out == ""
    assert await channels_of("beta") == []


async def test_an_unmigrated_database_is_one_line(pg_server_url: str, kingpin: Any) -> None:
    base = to_asyncpg_dsn(pg_server_url)
    name = f"kingpin_empty_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(with_database(base, "postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        done = kingpin("community", "list",
                       extra={"KINGPIN_DATABASE_URL": with_database(base, name)})
        assert done.code == 2
        assert done.line == ("kingpin community list: the database has no Kingpin schema yet "
                             "— run `kingpin migrate` first")
        # a schema from before communities (migration 4) says the same
        url = with_database(base, name)
        assert kingpin("migrate", extra={"KINGPIN_DATABASE_URL": url}).code == 0
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("DROP TABLE community_channels CASCADE")
        finally:
            await conn.close()
        older = kingpin("community", "show", "local", extra={"KINGPIN_DATABASE_URL": url})
        assert (older.code, older.line) == (2, "kingpin community show: the database has no "
                                            "Kingpin schema yet — run `kingpin migrate` first")
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_twitch_ids_and_logins(app: Any, kingpin: Any, stub: str) -> None:
    await create("beta")
    assert kingpin("community", "add-channel", "beta", "twitch", "12345").line == (
        "added twitch 12345 to 'beta'")
    refused = kingpin("community", "add-channel", "beta", "twitch", "TwitchDev")
    assert refused.code == 2
    assert refused.line == (
        "kingpin community add-channel: turning the Twitch login 'TwitchDev' into an id needs "
        "Helix (KINGPIN_TWITCH_CLIENT_ID, KINGPIN_TWITCH_CLIENT_SECRET not set): pass the "
        "numeric broadcaster id instead")
    resolved = kingpin("community", "add-channel", "beta", "twitch", "TwitchDev",
                       extra=twitch_env(stub))
    assert resolved.line == "added twitch 141981764 (twitchdev) to 'beta'"
    unknown = kingpin("community", "add-channel", "beta", "twitch", "nobody_here",
                      extra=twitch_env(stub))
    assert unknown.code == 2
    assert unknown.line == "kingpin community add-channel: no Twitch user called 'nobody_here'"
    assert await channels_of("beta") == [("twitch", "12345", "chat", ""),
                                         ("twitch", "141981764", "chat", "twitchdev")]
    # another community cannot take it, by id or by login
    await create("gamma")
    taken = kingpin("community", "add-channel", "gamma", "twitch", "twitchdev",
                    extra=twitch_env(stub))
    assert taken.code == 2
    assert taken.line == ("kingpin community add-channel: twitch 141981764 belongs to 'beta'; "
                          "remove it there first")
    # removed by login or by id
    assert kingpin("community", "remove-channel", "beta", "twitch", "TwitchDev").line == (
        "removed twitch 141981764 (twitchdev) from 'beta'")
    assert kingpin("community", "remove-channel", "beta", "twitch", "12345").line == (
        "removed twitch 12345 from 'beta'")
    assert await channels_of("beta") == []


async def test_twitch_unreachable_says_to_pass_the_id(app: Any, kingpin: Any) -> None:
    await create("beta")
    dead = "http://127.0.0.1:9"  # discard: nothing answers
    done = kingpin("community", "add-channel", "beta", "twitch", "twitchdev",
                   extra={**twitch_env(dead)})
    assert done.code == 2
    assert done.line.startswith("kingpin community add-channel: Twitch could not be asked who "
                                "'twitchdev' is (")
    assert done.line.endswith("): pass the numeric broadcaster id instead")


async def test_kick_ids_and_slugs(app: Any, kingpin: Any, stub: str) -> None:
    site = {"KINGPIN_KICK_SITE_URL": stub}
    await create("beta")
    bare = kingpin("community", "add-channel", "beta", "kick", "1000")
    assert bare.line == ("added kick 1000 (no socket ids) to 'beta'; the socket transport also "
                         "needs --channel-id and --chatroom-id")
    full = kingpin("community", "add-channel", "beta", "kick", "2000", "--channel-id", "21",
                   "--chatroom-id", "22")
    assert full.line == "added kick 2000 (channel 21, chatroom 22) to 'beta'"
    looked_up = kingpin("community", "add-channel", "beta", "kick", "XQC", extra=site)
    assert looked_up.line == "added kick 676 (xqc, channel 668, chatroom 669) to 'beta'"
    # the Kick listener's row format: the row's id is the broadcaster user id (Event.channel)
    rows = {channel_id: (role, parse_channel_row(channel_id, label))
            for _, channel_id, role, label in await channels_of("beta")}
    assert rows == {
        "1000": ("chat", KickChannel(broadcaster_user_id=1000)),
        "2000": ("chat", KickChannel(broadcaster_user_id=2000, channel_id=21, chatroom_id=22)),
        "676": ("chat", KickChannel(broadcaster_user_id=676, slug="xqc", channel_id=668,
                                    chatroom_id=669)),
    }
    missing = kingpin("community", "add-channel", "beta", "kick", "ghost", extra=site)
    assert missing.code == 2
    assert missing.line == "kingpin community add-channel: no Kick channel called 'ghost'"
    walled = kingpin("community", "add-channel", "beta", "kick", "walled", extra=site)
    assert walled.code == 2
    assert walled.line.startswith("kingpin community add-channel: kick.com answered 403 for "
                                  "'walled'; pass the ids instead: kick <broadcaster user id> "
                                  "--channel-id <id> --chatroom-id <id>")
    assert kingpin("community", "remove-channel", "beta", "kick", "xqc").line == (
        "removed kick 676 (xqc, channel 668, chatroom 669) from 'beta'")
    assert len(await channels_of("beta")) == 2


async def test_discord_guild_with_feed_mod_role_and_activity_channels(
    app: Any, kingpin: Any
) -> None:
    from platforms.discord.repository import DiscordConfigRepo

    await create("beta")
    done = kingpin("community", "add-channel", "beta", "discord", "900", "--feed", "901",
                   "--mod-role", "902", "--channels", "903", "904", "--voice", "905")
    assert done.line == ("added discord guild 900 to 'beta' (feed 901, mod role 902, text "
                         "channels 903 904, voice channels 905)")
    assert await channels_of("beta") == [("discord", "900", "chat", ""),
                                         ("discord", "901", "feed", "900")]
    config = await DiscordConfigRepo().get("900")
    assert (config.feed_channel_id, config.mod_role_id) == ("901", "902")
    assert (config.text_channels, config.voice_channels) == ({"903", "904"}, {"905"})
    community = await connections.get("default").execute_query_dict(
        "SELECT DISTINCT community_id FROM discord_server_config WHERE guild_id = '900'")
    assert [r["community_id"] for r in community] == [await community_id("beta")]
    shown = kingpin("community", "show", "beta")
    assert shown.out.splitlines()[1:] == ["  discord 900", "  discord 901 (feed of guild 900)"]

    assert kingpin("community", "remove-channel", "beta", "discord", "900").line == (
        "removed discord 900 from 'beta' (and its feed 901)")
    assert await channels_of("beta") == []
    assert (await DiscordConfigRepo().get("900")).feed_channel_id is None


async def test_discord_guild_of_another_community_changes_nothing(
    app: Any, kingpin: Any
) -> None:
    await create("beta")
    await create("gamma")
    assert kingpin("community", "add-channel", "beta", "discord", "900").code == 0
    done = kingpin("community", "add-channel", "gamma", "discord", "900", "--feed", "901")
    assert done.code == 2
    assert done.line == ("kingpin community add-channel: discord 900 belongs to 'beta'; remove "
                         "it there first")
    assert await channels_of("gamma") == []
    assert await channels_of("beta") == [("discord", "900", "chat", "")]


# --- the acceptance: two communities from one piped script ---

async def balances(name: str) -> dict[str, int]:
    rows = await connections.get("default").execute_query_dict(
        "SELECT m.slug, u.wealth FROM users u JOIN communities m ON m.id = u.community_id"
        " WHERE u.username = $1", [name])
    return {r["slug"]: int(r["wealth"]) for r in rows}


async def test_two_communities_from_one_piped_script(app: Any, kingpin: Any) -> None:
    assert kingpin("community", "create", "beta", "--name", "Beta").code == 0
    assert kingpin("community", "add-channel", "beta", "console", "beta-room").code == 0
    script = ("/sub alice 3\n"                      # local: +$1,000
              "/sub #beta-room/alice 1\n"           # beta: +$500
              "alice: !balance\n"
              "#beta-room/alice: !balance\n"
              "console#beta-room/bob: !checkin\n"
              "alice: !play\n"
              "#beta-room/alice: !play\n"
              "alice: !balance\n"
              "#beta-room/alice: !balance\n")
    done = kingpin("console", stdin=script)
    assert done.code == 0, done.err
    lines = [line for line in done.out.splitlines() if "reached level" not in line]
    assert lines[:4] == [
        "[console#local] @alice thanks for the tier 3 sub! +$1,000, +200 XP",
        "[console#beta-room] @alice thanks for the tier 1 sub! +$500, +100 XP",
        "[console#local] @alice you have $1,000",
        "[console#beta-room] @alice you have $500",
    ]
    assert lines[4].startswith("[console#beta-room] @bob 📅 checked in — day 1 streak")
    final = await balances("alice")
    assert set(final) == {"local", "beta"}
    assert lines[-2:] == [f"[console#local] @alice you have ${final['local']:,}",
                          f"[console#beta-room] @alice you have ${final['beta']:,}"]
    assert set(await balances("bob")) == {"beta"}  # bob never played in 'local'


async def test_console_community_flag(app: Any, kingpin: Any) -> None:
    await create("beta")
    assert kingpin("community", "add-channel", "beta", "console", "zz-room").code == 0
    assert kingpin("community", "add-channel", "beta", "console", "beta-room").code == 0
    done = kingpin("console", "--community", "beta",
                   stdin="/sub alice 2\nalice: !balance\n#local/alice: !balance\n")
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert lines[:3] == [  # the first console channel by name
        "[console#beta-room] @alice thanks for the tier 2 sub! +$750, +150 XP",
        "[console#beta-room] ⬆️ alice reached level 2!",  # the sub's XP is announced
        "[console#beta-room] @alice you have $750",
    ]
    # local: nothing but a chat reward, if a flush ran between the lines
    assert lines[3:] in (["[console#local] @alice you have $0"],
                         ["[console#local] @alice you have $5"]), lines
    final = await balances("alice")  # plus a chat reward each, if a flush ran meanwhile
    assert final["beta"] - 750 in (0, 5) and final["local"] in (0, 5), final


@pytest.mark.parametrize(("slug", "says"), [
    ("nope", "kingpin console: no community called 'nope' (kingpin community list)"),
    ("gamma", "kingpin console: 'gamma' has no console channel: kingpin community "
              "add-channel gamma console <name>"),
])
async def test_console_community_refusals(app: Any, kingpin: Any, slug: str, says: str) -> None:
    await create("gamma")
    done = kingpin("console", "--community", slug, stdin="alice: !play\n")
    assert (done.code, done.line, done.out) == (2, says, "")
