"""Every command's handler, by the registry's name (game/commands.COMMANDS); a test keeps
the two in step."""

from __future__ import annotations

from jobs import commands, crates, economy, gambling, insurance, inventory, shop, supplies
from jobs.config import config
from jobs.linking import link, unlink
from jobs.turn import Handler

HANDLERS: dict[str, Handler] = {
    "play": commands.play,
    "rob": commands.rob,
    "bail": commands.bail,
    "checkin": commands.checkin,
    "profile": commands.profile,
    "balance": commands.balance,
    "level": commands.level,
    "lb": commands.leaderboard,
    "rank": commands.rank,
    "inventory": inventory.inventory,
    "equip": inventory.equip,
    "unequip": inventory.unequip,
    "sell": inventory.sell,
    "escrow": inventory.escrow,
    "shop": shop.shop,
    "reroll": shop.reroll,
    "buy": shop.buy,
    "market": shop.market,
    "supplies": supplies.supplies,
    "buysupply": supplies.buysupply,
    "buffs": supplies.buffs,
    "crates": crates.crates,
    "open": crates.open_,
    "titles": crates.titles,
    "title": crates.title,
    "insure": insurance.insure,
    "slots": gambling.slots_,
    "jackpot": gambling.jackpot,
    "blackjack": gambling.blackjack_,
    "hit": gambling.hit,
    "stand": gambling.stand,
    "double": gambling.double,
    "flip": gambling.flip,
    "accept": gambling.accept,
    "flips": gambling.flips,
    "cancelflip": gambling.cancelflip,
    "lottery": gambling.lottery_,
    "lotto": gambling.lotto,
    "gamblestats": gambling.gamblestats,
    "economy": economy.economy,
    "givewealth": commands.give,
    "givexp": commands.give,
    "givecrate": crates.givecrate,
    "startsession": commands.start_session,
    "endsession": commands.end_session,
    "help": commands.help_,
    "link": link,
    "unlink": unlink,
    "config": config,
}
