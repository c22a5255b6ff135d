"""The local Helix/OAuth stub, and a clean slate of Twitch channel rows for the tests that run
the listener (it reads its channels from the community tables), the suite's usual rows back
afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from tortoise import connections

from tests.conftest import reset_communities

from .support import TwitchStub


@pytest.fixture
async def stub() -> AsyncIterator[TwitchStub]:
    server = await TwitchStub().start()
    yield server
    await server.stop()


@pytest.fixture
async def twitch_channels(db_url: str) -> AsyncIterator[None]:
    conn = connections.get("default")
    await conn.execute_query("DELETE FROM community_channels WHERE platform = 'twitch'")
    yield
    await reset_communities(conn)
