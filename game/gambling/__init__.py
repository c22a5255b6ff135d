"""The pure rules of the casino (GAME.md "Gambling"): bets, slots, blackjack, coinflip duels
and the lottery. Each module is pure: the caller passes an ``rng`` and stores what comes out."""
