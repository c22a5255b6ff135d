"""``!insure [plan|none]``: see the plans, take one (the first day's premium is paid now; the
daily charge is jobs/economy_cron.py), or drop it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tortoise.backends.base.client import BaseDBAsyncClient

from game.actions import money
from game.catalogue import catalogue
from game.commands import USAGE
from game.errors import NotAllowed, UsageError
from game.matching import match_name
from game.property import check_insure
from game.replies import Card, CardField
from jobs import state
from jobs.ledger import apply_delta
from jobs.schedule import next_due
from jobs.turn import Turn
from models.economy import UserInsurance

# the first premium pays for the rest of today (UTC); the daily job charges from the next
# 00:00 on (it skips plans paid past its due time)
DAY = timedelta(days=1)


def _share(share: object) -> str:
    return f"{(Decimal(str(share)) * 100).normalize():f}%"


async def insure(turn: Turn, conn: BaseDBAsyncClient) -> None:
    plans = catalogue().plans
    if len(turn.cmd.args) > 1:
        raise UsageError(USAGE["insure"])
    user = (await state.lock_users(conn, turn.player.id))[turn.player.id]
    current = await UserInsurance.filter(community_id=turn.community, user_id=turn.player.id
                                         ).using_db(conn).first()
    if not turn.cmd.args:
        listing = ", ".join(f"{p.key} {_share(p.share)} for {money(p.premium)}/day"
                            for p in plans.values())
        mine = f"you're on {plans[current.plan].name}" if current and current.plan in plans \
            else "you have no plan"
        turn.say(f"🛡️ {mine} — plans (share of a rob you keep): {listing} — !insure <plan>",
                 Card(title="🛡️ insurance", fields=tuple(
                     CardField(name=p.name, value=f"{_share(p.share)} · {money(p.premium)}/day")
                     for p in plans.values())))
        return
    word = turn.cmd.args[0]
    if word.lower() == "none":
        if current is None:
            raise NotAllowed("you have no insurance plan")
        await UserInsurance.filter(id=current.id).using_db(conn).delete()
        turn.say("🛡️ insurance dropped (the day paid is not refunded)")
        return
    key = match_name(word, ((p.key, p.name) for p in plans.values()), "insurance plan",
                     hint="!insure lists them")
    plan = plans[key]
    cost = check_insure(plan, current.plan if current else None, user.wealth)
    values = {"plan": plan.key, "share": plan.share, "premium": plan.premium,
              "started_at": turn.now, "paid_until": next_due(turn.now, DAY)}
    if current is None:
        await UserInsurance.create(using_db=conn, community_id=turn.community,
                                   user_id=turn.player.id, **values)
    else:
        await UserInsurance.filter(id=current.id).using_db(conn).update(**values)
    balance = await apply_delta(conn, turn.player.id, -cost, 0, "insurance_premium",
                                f"{plan.name} insurance, first day", turn.source_key,
                                turn.rules)
    turn.say(f"🛡️ insured: {plan.name} keeps {_share(plan.share)} of what a robber takes, "
             f"{money(plan.premium)}/day (paid today) — now {money(balance.wealth)}")
