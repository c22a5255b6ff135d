"""Flavour texts for !play, per tier: ``{amount}`` is the formatted wealth change."""

from __future__ import annotations

from game.rules import Tier

POSITIVE: dict[Tier, tuple[str, ...]] = {
    Tier.PUNK: (
        "lifted a wallet on the metro and found {amount}",
        "sold knock-off sneakers behind the mall for {amount}",
        "ran numbers for the corner bookie and pocketed {amount}",
        "hustled a tourist at three-card monte for {amount}",
        "stripped a parked scooter for parts worth {amount}",
        "collected a debt nobody else dared to for {amount}",
        "fenced a crate of 'fallen' phones for {amount}",
        "won a rigged dice game in the alley: {amount}",
        "delivered a mystery package, no questions asked, for {amount}",
        "found {amount} stuffed in a vending machine you jimmied open",
    ),
    Tier.ASSOCIATE: (
        "skimmed card readers at three gas stations for {amount}",
        "ran a fake charity drive downtown and netted {amount}",
        "moved a van of untaxed cigarettes for {amount}",
        "flipped a stolen motorbike at the chop shop for {amount}",
        "shook down a nightclub owner for {amount}",
        "sold fake concert wristbands for {amount}",
        "cracked a storage unit full of electronics worth {amount}",
        "ran a pop-up poker game and raked {amount}",
        "forged parking permits for half the block: {amount}",
        "muscled a rival crew off a street corner and took {amount}",
    ),
    Tier.SOLDIER: (
        "hijacked a shipment of designer handbags worth {amount}",
        "ran protection for the docks and collected {amount}",
        "cleaned out a crooked pawnbroker's safe: {amount}",
        "pulled off a jewelry store smash-and-grab for {amount}",
        "laundered a stack of dirty bills through a car wash for {amount}",
        "sold a warehouse of counterfeit watches for {amount}",
        "robbed an armored car's spare cash bag: {amount}",
        "rigged a boxing match and bet on the right guy: {amount}",
        "stole a luxury sedan to order for {amount}",
        "ran an illegal street race book and cleared {amount}",
    ),
    Tier.CAPTAIN: (
        "ran a crew that emptied a bank's night deposit box: {amount}",
        "brokered a weapons deal between two gangs for {amount}",
        "hacked a crypto exchange's hot wallet for {amount}",
        "bribed a port inspector and moved a container worth {amount}",
        "ran a high-stakes underground casino night: {amount}",
        "extorted a corrupt city councilman for {amount}",
        "intercepted a cartel cash courier: {amount}",
        "sold stolen art to a private collector for {amount}",
        "rigged a city construction contract and took {amount}",
        "cloned a shipping company's payroll for {amount}",
    ),
    Tier.UNDERBOSS: (
        "took over a rival's smuggling route and its {amount}",
        "ran an insider-trading ring that cleared {amount}",
        "hit a diamond exchange vault for {amount}",
        "sold a police informant list to the highest bidder: {amount}",
        "laundered a cartel's money through your casinos for {amount}",
        "bought a judge and won a civil suit worth {amount}",
        "held a corporate server for ransom and got {amount}",
        "rigged the mayoral election's betting markets for {amount}",
        "seized a yacht full of contraband worth {amount}",
        "ran a fake hedge fund that paid out {amount} to you",
    ),
    Tier.KINGPIN: (
        "bought a small bank and emptied it quietly: {amount}",
        "took a cut of every deal in the city this week: {amount}",
        "sold a stolen satellite's access codes for {amount}",
        "cornered the city's black market and skimmed {amount}",
        "blackmailed a tech billionaire for {amount}",
        "staged a heist on the federal reserve annex: {amount}",
        "merged two rival families and kept the dowry: {amount}",
        "privatized the city's parking meters into your pocket: {amount}",
        "auctioned off a senator's secrets for {amount}",
        "ran the underworld's central bank and collected {amount} in fees",
    ),
}

NEGATIVE: dict[Tier, tuple[str, ...]] = {
    Tier.PUNK: (
        "got mugged by a bigger punk and lost {amount}",
        "bought 'gold' chains that turned your neck green: -{amount}",
        "paid a bouncer to look away, he didn't: -{amount}",
    ),
    Tier.ASSOCIATE: (
        "a fence stiffed you on a deal: -{amount}",
        "your getaway car got towed: -{amount}",
        "paid off a nosy beat cop: -{amount}",
    ),
    Tier.SOLDIER: (
        "a shipment got seized at the docks: -{amount}",
        "your crew skimmed the take: -{amount}",
        "had to pay a rival family for a 'misunderstanding': -{amount}",
    ),
    Tier.CAPTAIN: (
        "the feds froze one of your accounts: -{amount}",
        "a lieutenant ran off with the payroll: -{amount}",
        "a bribed official got greedy: -{amount}",
    ),
    Tier.UNDERBOSS: (
        "a laundering front got raided: -{amount}",
        "lawyers' fees for a 'tax matter': -{amount}",
        "a rival torched one of your warehouses: -{amount}",
    ),
    Tier.KINGPIN: (
        "an offshore bank collapsed with your money in it: -{amount}",
        "the family council demanded tribute: -{amount}",
        "a sting operation cost you a fortune: -{amount}",
    ),
}

BUSTED: tuple[str, ...] = (
    "got caught red-handed by an undercover cop",
    "tripped a silent alarm",
    "was ratted out by a jealous partner",
)

# a negative event for a player with nothing to lose costs nothing and says so (never "$0")
NOTHING_TO_LOSE: tuple[str, ...] = (
    "got shaken down in an alley, but your pockets were empty — it cost you nothing",
    "walked into a setup, but there was nothing on you to take — no loss",
    "had a deal go bad, but with nothing to your name there was nothing to lose",
)
