from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "blackjack_hands" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "bet" BIGINT NOT NULL,
    "state" TEXT NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "notify_platform" VARCHAR(16) NOT NULL,
    "notify_channel" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "idle_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_blackjack_h_idle_at_0d68fe" ON "blackjack_hands" ("idle_at");
CREATE INDEX IF NOT EXISTS "idx_blackjack_h_communi_83ebec" ON "blackjack_hands" ("community_id", "user_id", "status");
COMMENT ON TABLE "blackjack_hands" IS 'A hand in play (``state`` is game/gambling/blackjack.to_json); the stake was taken';
        CREATE TABLE IF NOT EXISTS "coin_flip_challenges" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "wager" BIGINT NOT NULL,
    "side" VARCHAR(5) NOT NULL,
    "result" VARCHAR(5),
    "status" VARCHAR(10) NOT NULL,
    "notify_platform" VARCHAR(16) NOT NULL,
    "notify_channel" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "resolved_at" TIMESTAMPTZ,
    "acceptor_id" BIGINT REFERENCES "users" ("id") ON DELETE SET NULL,
    "challenger_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    "community_id" BIGINT NOT NULL,
    "winner_id" BIGINT REFERENCES "users" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "idx_coin_flip_c_expires_1d0418" ON "coin_flip_challenges" ("expires_at");
CREATE INDEX IF NOT EXISTS "idx_coin_flip_c_communi_b2a068" ON "coin_flip_challenges" ("community_id", "status");
CREATE INDEX IF NOT EXISTS "idx_coin_flip_c_challen_2a5aaf" ON "coin_flip_challenges" ("challenger_id", "status");
        CREATE TABLE IF NOT EXISTS "gambling_sessions" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "game_type" VARCHAR(20) NOT NULL,
    "wager" BIGINT NOT NULL,
    "payout" BIGINT NOT NULL,
    "result" VARCHAR(20) NOT NULL,
    "details" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_gambling_se_communi_6a41f3" ON "gambling_sessions" ("community_id", "game_type", "created_at");
CREATE INDEX IF NOT EXISTS "idx_gambling_se_user_id_521f67" ON "gambling_sessions" ("user_id", "created_at");
COMMENT ON TABLE "gambling_sessions" IS 'One round of a game: what was wagered and paid (``!economy`` measures returns).';
        CREATE TABLE IF NOT EXISTS "lottery_draws" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "draw_at" TIMESTAMPTZ NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "pool" BIGINT NOT NULL,
    "rollover_in" BIGINT NOT NULL,
    "numbers" VARCHAR(40) NOT NULL,
    "rollover_out" BIGINT NOT NULL,
    "drawn_at" TIMESTAMPTZ,
    "community_id" BIGINT NOT NULL,
    CONSTRAINT "uid_lottery_dra_communi_2b05fc" UNIQUE ("community_id", "draw_at")
);
COMMENT ON TABLE "lottery_draws" IS 'A community''s draw at ``draw_at`` (00:00 UTC); its pool holds the tickets'' share and';
        CREATE TABLE IF NOT EXISTS "lottery_tickets" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "numbers" VARCHAR(40) NOT NULL,
    "matched" INT,
    "payout" BIGINT NOT NULL,
    "notify_platform" VARCHAR(16) NOT NULL,
    "notify_channel" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "draw_id" BIGINT NOT NULL REFERENCES "lottery_draws" ("id") ON DELETE CASCADE,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_lottery_tic_draw_id_0f4e48" ON "lottery_tickets" ("draw_id", "user_id");
        CREATE TABLE IF NOT EXISTS "player_gambling_stats" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "game_type" VARCHAR(20) NOT NULL,
    "rounds" INT NOT NULL,
    "wins" INT NOT NULL,
    "wagered" BIGINT NOT NULL,
    "paid" BIGINT NOT NULL,
    "biggest_win" BIGINT NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_player_gamb_communi_564b39" UNIQUE ("community_id", "user_id", "game_type")
);
        CREATE TABLE IF NOT EXISTS "slot_jackpots" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "pool" BIGINT NOT NULL,
    "last_won_at" TIMESTAMPTZ,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "last_winner_id" BIGINT REFERENCES "users" ("id") ON DELETE SET NULL,
    CONSTRAINT "uid_slot_jackpo_communi_4f8815" UNIQUE ("community_id")
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "lottery_draws";
        DROP TABLE IF EXISTS "coin_flip_challenges";
        DROP TABLE IF EXISTS "slot_jackpots";
        DROP TABLE IF EXISTS "lottery_tickets";
        DROP TABLE IF EXISTS "player_gambling_stats";
        DROP TABLE IF EXISTS "blackjack_hands";
        DROP TABLE IF EXISTS "gambling_sessions";"""


MODELS_STATE = (
    "eJztXW1z27ay/is4+hJ7hnUTx3Zy0zt3xnbS1q0T5zruPZ3TdCiIhCzGFKESpB3NOf3vFw"
    "BJiS8gTdIiBTH74fQ4JBakngWB3Qe7i3+P5tQmLjs4p/N56DnBcvQG/Xvk4TnhfxRvGmiE"
    "F4v1LXEhwBNXtrbiZg6R1/GEBT62An5ril1G+CWbMMt3FoFDPX7VC11XXKQWb+h4t+tLvJ"
    "e/QmIG9JYEM+LzG3/8yS87nk2+8s7jfy7uzKlDXDvzyo4tni2vm8FyIa+dObcXXvCjbCse"
    "ODEt6oZzb91+sQxm1FsJOF4grt4Sj/g4IOIJgR+KXyBeMP69yY+KXnbdJHrLlIxNpjh0g9"
    "QvnpjrayPT/HB1Y356d2OaowYYWdQT+PJXZRKAW/EK3/3X4eHLl68On788eX189OrV8evn"
    "r3lb+b7FW6/+jl5mjVbUlcTs4qeLDzfihShXYqRgceFvKYMDHElJZazRZ254W8T/fIZ9Nf"
    "pJ+xz+/Ifl8U/Q1lcBc/zVdIl3G8z4P0+OKrD9v9Pr859Pr/dOjvazAH+I7xzKWwLqNbTy"
    "/xtAm7TfDLTJhTW26296BeSoF2gPnz+vgS1vVQquvJdF1/KJQMPEQRHjt/xO4MyJGuesZA"
    "5tOxY9SP7oCvsuBzb/gfaV5y7jD6oC/JuL9+8+3Zy+/ygeN2fsL1fid3rzTtw5lFeXuat7"
    "Jzk9rTpB/7y4+RmJf6J/XX14J+GlLLj15RPX7W7+NRLvhMOAmh59MLGd+vaTqwlqf4uVY3"
    "qXmr3EhQm27h6wb5uZO6nhMcOeF693ubUllvzx12viYoltcRjk19HzqLsdHAx/J8M/uZoM"
    "CoEiPaRluBZvzQ/n+SvYw7fyJ4lniyeV4VZlo6SwfdxUWZppzT5qsYxOUdweYbTqA9EHjx"
    "2g8Ti+Zzr2eIwchh5mOEDcgEELPjKm1J8/Y4jcEw4lsrDvLxFm4rYjZ+Q09l0957OXdLt3"
    "8+AE1gxNfIptC7OA+Chk/D+ObaBfHetOdQdxmZl8kGPLHpHr8Pt8AH/2WDgRSE0IQ47H35"
    "EPYOLy19tL3ol9f8e7/T7B+2Cx3DfQW4dZ1LfRbei4tngCbyk7lhc+81/NiDtF/CJeIRK3"
    "4rfQlBAbYc9G99SxSNKCGbILMUapSzgWiaQYMvs/fPbGY5/fiLDj9wIj6oh3Kvs5GKlN0D"
    "9GyW8RDdZKGP2ZM07/SI2v2L5MBP8Ew1VLwzWt2boWVlqmPyurNxP2xUkNM+tFfvVeW1ni"
    "Vs7IWn8yDWDOSg0R6MPXdZA+fF0OtbiXxVrMcE1QTtr36C6Iqbcfl6EOvuXoFrCVa1sTcF"
    "cC4IyBMwbO2NoZy2g9ZzPVN4UK1tajRtEuaLo3u6jgESt0UlTIj9Qnzq33K1lKpVzwl8ee"
    "pVpDVCzyjimjzO3ll338sLLmCyORo8B/Owmi9eH00/np23ejv8sZhy696I8uXhL/wuZ+YQ"
    "nPn2thVHnQC9mW/0zZuC7lP7ry1l4qwpZFQy9AdMrdu6jDNyjucSmcs7RPu3ZPPe7bRl6i"
    "eP+DgvPc0TOUHmGpo5f62xS91vMTRUvxQPOOLMFv1GR+NMBv3K7fWPiQWoCdlh0i6F34kM"
    "ls1ATvtMwQca7l77yo8HdeFP2d/KzfFOvVagF418Ib/Mty9IfrX4YLu6XWs5KgdV20nmCU"
    "Unv89sAqaGA1Zxe4xviXG2wAfTX0QOj0TOjkx/oGwP0t7maguKY+bp04Mom6ghlLtFHOh4"
    "kf1IQD462ph7DlU8YQdt0VB8UO0Bl2xeCIAhduCaJ8ZUYJ7xQFYWDkEvuW/8unDyUM2Kaf"
    "8HhQbpHPcp2ptInMB4LdYGYS7Hscdy5XbPt1ob4+J4xxbTGTET6cgAjTkwgDrqAf39V2mG"
    "CxzaZY5+Va4R0P628I7mjeajaxrGX6s1ufD2ByWaPOl4JGiEftAe12aLvkXhXOUor2qn1/"
    "gL/oFvDDF0evjl6/PDla4by6UgVvEUpu1QchMwNH5QNUpMFkxXqMEvoYenejXqbn4zqz83"
    "H55HxcpHFnxLpzPJM/k+C7BgO4KDiYqWNjI9nFLDAToAS1qSZNy+LdFMJVvOnu2R4VYAra"
    "M4dmQAPsmtIAk+EIDQarShSGa364PjieIjmn3ESLmwOQhe+eMkaaQLkWADDzYPp00vh7z8"
    "gApCpIWWhZhLFW0BZkAeI8xFnCrQBvlSNWEB0Mun37ZGritJEyyvsArbTUSmTX4sD0idxs"
    "aB5LUNLFBoIKdsdA1jyGQJGaAAFDAwsdgYChb1HrdQKG5ATNCPFazeyJIOhcF51D6pnGxh"
    "VEKmmTepYOpEjndOW+hQblborpZAOBPjN33IoA/KjaytPg+ol39O6e7OSMUQspi1LXFjVs"
    "nobTedzNUGH6gh3FbmwThH6JexgiOji0ncDkX4n/5PnpVHR1SW931reug1SA/Vvy1Klp4E"
    "i5jnfHm9hPHVCXvJ9z/ueQvr0uo23XK54i5DazHJbH3eaW306Lzv6RDltOMTvKsNX0fYhZ"
    "1TJmVQ6bCMaCFsqDdbJSA4xbPaoTqXNUHqlzVBJFKfyRADcb8HlJ2LloG1HZBv20FCDfDv"
    "n0yxbAvyFfS6DPiQ2gcFgVX/ju95sMVZhMJnvvT3/fz9CFl1cffkqapyaf88urs3wsJg19"
    "q3FOfVZqeFHyULANWPNMO2DNd3p5gdRq2LDQSxkqKiF5Acit7mEnqCy3+ppP+NcX5zfbSq"
    "5eEffK8v1rUr+qbH9qB2GzVI+6Fl/C5fBb2LNXTn9EqsbFD6ciaydf2g8YHy0Zn7wi63oF"
    "ebkBsj6bz88qfiUNEFcKD8ALznljx8d1vLHj43JvTNzL4k6+Lhxu5bfwxrKS/XhjfU5CO+"
    "J8QUwq+Nzgc+tmVYDPDT63rsoAn7tHYHeonpmMBFO420mEWLmrnUSh1TkTLyqrj6zQ97m1"
    "7i7FCXBC/gBdkzm9F0ereWjCL4gj1iZLWVZfmppL9IVOiuXLNtJjIx8f3HdtZnujwn0XQ6"
    "CVyZsRHKDFuyMWbi3HxueTJ2akhZazkuC+6q1lzFQRERUn1K0kBkcDdVPlHlxFcBW/MejB"
    "VQRXUSdgd8hV/CSK4c35D/xEGIt+esFtLLQxqlxIlrQ2WdS8+wh98Nu09NsCJ3Ab7beuBA"
    "Zn6nUSf7mVU+i0DnPt7PDyJhCnRAaIcBcnznHTwG+3qZmVBIpHa+efcAjbKDkt10vFLGB3"
    "2ik4+RonzXIvMlKw9NdKvQCWB6gGTZXRV+maLt1imYJ+hgNr9r8hkaAWvOJ8E6PKKY6yhy"
    "eitfnXqnmtM6N8+iBOdRJnNgXf8dbOvTjCXHaFpm7IZsRGU5/O0TWxHfYDcgIW33VsNMd3"
    "JDrsXDYt7Llu+gGfPccm8wUN+M+teXwUOO9aOu/RWG126nZaZjPr+HYVkVnHT45qLOMnR6"
    "WruLilOjakoakUS/RoJvFZzXVI8jKdW0u1jKUKW6kQFy2n3qZFw3NSg0mD31i58ChWpzGu"
    "eTEANg/sbkV49zofDyvAu+BKbMfU/ehTcTQCsUtrMuVaVBq6i6Rtk+pMo3/6TsBNRhHvJ0"
    "xJxp/PYcMeE+aoOM6UIewh2eMzhsh0SqzgjWwqFqfld4xbncgmdrgohhVuuO9aAYZplj1a"
    "SSDacFcM363squjmw3e9rbL6KBqAnJYZIshd7Kzc8Z/WBOOk/QDx3Xx9s/Va19xWy8uCta"
    "a5tZaNYhUescJzLy/slRIZwqZwlTK7qOq1FTZKM8y7pqNgTwn2lHRVxobDV7fjaa/qaSt8"
    "7HSt7XLvOiru7cbNui16DJWNtZwsjArXlQ8G6pttHNii5ODiMDbvxEagyX81hjqRGh7MXS"
    "Q1RVRdQ5R7r6Hbm+23+aJNNgmw4yo8ml8+XX1QI5wSyTuvjhWg/yDXYZ3ZfaP/noZexN9O"
    "QscNHI8diMf+T1eDvAJwAVG1w5P3bYysRyo6yDs8u7UL1O+3MFxiIVobmhpRaalWrpduju"
    "5WcjbB/dVACav6f800kBGDTwDIB40DWgvz/QbQrZk7q9kgr4tren3LYMpfAH347fJypJhD"
    "ANVHUM3MmSWwbocnO6PBOfWmjpIoW980qpiyCRXRe6t2HReNFueGPCm841shyJ4YJVdOfT"
    "U87+UpB73otjz1wL/cYzdUkFzl5MBKoH9qYDu7np2QAOHCbkkCZCWBBNCFBFCkUSoOTAZH"
    "FFwhPZUxhNy+tw6zqG+fxplu53G5BoWtWdKy0vC0IxkzSaQz43IQNSOh42cw9DCjjKA5YY"
    "z/Cob2AvI12Bd1Txd8piF8gKG9e+pYZB/JXAoRxixilsXBuM+YzOUrhkJvunNI7tN4Nquy"
    "lm9Dh/fULJwqLdOV3by97L6XhzWs5peHpUazuKWsHNMQ5azU4JIoNw+z/hHOIzG7drUvmY"
    "W3TgR5efx4IXocLFGwRHVVxoAs0U/Evyd+OeWpalbLBmVSojMeFGw9XeYL/W29QdsgU0Js"
    "s529pxAdXq7C5hHnk57pU5c0RDsnBkg/jvTCJ1PnqxkfhamIEDyjHFDslaW5FaRzoE+4eF"
    "fmRzLH9LsVcHZ1dZmhms8u8hlOv70/e3e990KqgTdygsxcDhsAsAEAbhe4XToqYwhu16Xj"
    "3Z3zP0cKX2t1z6hysFzeimNgk5qs/imiHvlOzLRISEXl9P4henmDvlDHi+h1bEVsezDDgn"
    "K/IzYKqLzDpeOrHnsgPlMdntbBE2rFvojHQW0TfSYxo8IXtOKRXZuNjtsPMU5m4+lgUDim"
    "R5DN0iOWHgfbLD9paRCgd1FIBvKRytHfTU+kTj6SPFyVsDY1+zOSw6tusyNKVribRS2H7U"
    "oYhRutXqQZrTYk/S6IZ4vzuFoZKArZ4dGmHdgpMW5tzJSi6AAR78JISZBrWpIhLzdAuLvI"
    "Ckhga1H9LiMJq4fOqwew0RrkRcOBwrARoJcyukuKhvOE6+Cq6XnCH2M/4YbeEW+kKiafaW"
    "BU1pJP+LpAtK251XJ1GgYzFEkg17knSeF3QYpPsBDxaCAuTh2XsB9kLqIYIgz5ZMrXzZlo"
    "PUcz4pPiNsvGe1dusaSdrXjLBgrIa7VAGBWbLLAP0EvtvdVn0QDmrNQQge7CrU5Qa17pMC"
    "sHtQ7r1ToUheGjNa+IdnmF8bzcIEZ3lSPdRZ3xeJFujn5BcAgcUt/oM4suVGX1y+tMrCX0"
    "qEEpnjeYGpQa7f7t0Iexa/wexBiXr/a7ubNfFmNcYLW2QxHIcgrkLJxOR6pC+Ou7RmUpfN"
    "nOnPCGtYMwhXrDuegBCTnhpkfnvaE9Ef8oD0Hmo/OW+st9VYhlY/laAZQpJieRBld/N1z9"
    "lb4KOqiIqUzJDMJG7/oAX/GpmQ3ru6VlBgjy5gvAz/nbOuKIKgX1/pZYzhy7JSl1GcG8ER"
    "BJHsQ97CDuFTi/fXd+8f70cu/EeJlL5EqfJqetSQ0Bdd1tmUOw7MBM6jrBshAoAYES3xr0"
    "ECjR99F1ECkxkEiJM5d38x77dyS48MTR1sInVBU8V7UzKmufCwlzLkVMJyPzePiERxCdTo"
    "nP/4swWo3JZwzJblHULfJpgCX1vTce/yO6Nh7v/4BYQHkjhyHGfTNiKyIoOnhALZol6TC2"
    "rbipPoegCq0WE6OCaclpr4lNnRMdoFG9I0Z0Ld9Jft9FFZd+Zqv2Q7LcnnhMQmrS4hOgg1"
    "2zKaoFOUBXge7CdyxFREzVqrASGRKgPft4U4KDkK/9CuSralGlxXosQrW6srNVqIDY0GDQ"
    "J/ZqAf/yTZCUCOyBlOyBAIGxTQJDjNANoHsRdzMAYFUERuo71orACJnjEcauyT3xQvKzw0"
    "opDHVLo5LEiGVMPxIyZympR2mMd/fEX6KkD7TASxoGaA97NnIChmy8NNCU+nHqhuMukYUX"
    "ipiPJ/TTNPbD5o25h5rnI6rjRajrEiveMPoTqAstqQs8F1HwzTSwlgGTqbXJFH9RBeCr6a"
    "K1FDBFWjNFmcmvoZLzsgNUNey0g0Pa5ewKDmnnQXkQzADBDHopA4IZegS2VTAD0CsDoVfO"
    "fepdh8oaGskto4pAsXgj0w9r183wCOKto6gMZs2IHbrERl/oRBIcqUgNhANZLpw7SkjYxm"
    "8k++HTBxGVIf60XOzMDcRogU7p4iGfPXmH9zrjYIi6HFQcYDqjD+Se+Ijju0QP1L8TNTgC"
    "x7ozkGBv8KpnNHcY4y/xMHNcgjwaN/7s+dgTD5tyT9xGe/wGf/q+FJY/QTzkYUZk+Y+leH"
    "GChOLrcz/8V1fwPkDmaEnmxEqra/HGzQdo7R7VsXaPyq3dYm4E0DWDpmv4dNomeAsPOG5r"
    "wBQN70lAVdB2eSmHtYQepRzEYwdTygEYM+AUdFXGhjmF7XhrP1OxR3z7lkyCkcJjS982qr"
    "y2WdSQ/7C45aOO21u8ZMKhCr0FdmwUd4DCxR0hC7T30+n7dwdz+w36HB4enhy/RLxnUTMB"
    "LVzMHSOC3WBmxDdfIXLPZz2m2Ajv7CmNtsnBSdJmYjMqnCQxeE2bj5iiEko1kJHpb5F53q"
    "0iNhZqDFV6hmZFK5wmOAlUn9kNduHAYtZVGbAL1yOwO5RSLDfqFN5HsoFX7naIPbCaG0U3"
    "YvOFW34uvQ0J2rvlj/qeAxYQL/hednMQ0Lm7/0ZY/QsOpIGwP6e+sYqiJfxS7D8U/YyN96"
    "7wL+o6EQ1rTm203NR2vYhO4lrK/YWmhaU3W1BaI6g7KSgt4WmAbtJ+gJtWmw/RCpQV0yrA"
    "VRdKA3BV4IoDNUw79PHEcZVWX6n5rZDszwzn32C3VvjGWAWfTswJ9UIFUVNZ9C8jt52af1"
    "1BXIFfUvDv2DisXfCPvx/x+Fhsg3JBFpCuQDrJE5s7isL9pRNFTgqIx8IUkQCEv7aBNZIC"
    "WPOw0oX46WKnx6JMwemWIlsUBHCLVU8YX/o9i5gcLIuoku8qJ16lPEy+FZNvtA/YdCznpG"
    "AgFwrMhL41E6Zsm0ozBVkgolvvATDium2UkJUDBTxtJ2A7rOpHFy+J/2lGF5V1GlXNjEeO"
    "t+QCJuMSTas0nqJI+BkTh04w6mEXiX5ksUTxx3i8byBfJLnaiIrDKH0WIJfSOxm/Plki3s"
    "4nosF4rDrpYtPdNy2GANUZtfsajQoCFwqhbWVVir7AViUxU4IDDAnZ3RCQYiQ1xIBo8KVB"
    "sjskuw9rdEOYDYTZ6AQsJLt/y8nuYiCfr05XHCnc61wLo8qzluNmfVhjzcCmde8Mzfhbv0"
    "Fn2HHRGfVsZqBr6c6iG3G+M//nuRgb6D2+9UjAih70E/tq6i6L0CNwlbVZW40KV3mbQWXb"
    "Nm46tiD/CrEXNIsTSYvA9gMU/tZmAgG/CPwiXZUBftGWjXhN0w8E6hdJ6MSoxIZfN3jchH"
    "cybZvsiq0kxaXoDDF5icidK4ubW/wXRBW7K7e/mvYD2cy7OetXWexC801M9qT9AG32zR/u"
    "Lk/xU2xfVYVnrWS+xdPGjxpEZS18MndCBStWvTG7EgLTsX3AUID9dvn6WUnYnNV6c1YUQz"
    "FDL3DcpmrOSoKatVYzECEaTKlAhAARopcygAjpEdidI0IqYoWzDYwaREiz8GAPiX1ehGMi"
    "A80of+03yJHFqtGqNwORv0JnsSC2uCUONGMuDQxEffFv0Sd9QCsbJcuRbPwRn73xOPq3Sb"
    "4uHL56cxN4PEZ79J74U5c3m/p0jiwxjJkhnjLlvYl44znxb0l5Obkcy1LBxxjoj1HhFeBc"
    "NU15mVaJ4dvKCe9eG5vLnmNm8s0qhnfVCcs5SThkucEhy2JabMIyJu1bsYzxZKHNCO44ME"
    "CMSzmttxrRKUkY0Q1GdHElLWBfTZEoO9gAU6LZ6B8SUeLRwJkuTW4TBlPqK5jniqJORdH+"
    "dlBGo16mthcndco75RWYqu50kp/aYtSsGfY8oiAhH8U7JTk8uA9f18H78HU54OJeFnFscR"
    "PHb0Xt50QHSPruaC3eOidaJJZtm4UsKwpLmM5LGHD9GnD9kG8H+XbDGt2wnQLbKToBC/l2"
    "W823u+Z2yvXF+c32TpflWF9SGtyUJdzlWhjVZ83ytqbLG5tBg4y7U/TAB8ssiM6DlZ28Qe"
    "PxHdfpeIzist9oLyr1var0nZwmFDiBS/blTpIAWVTWVcXydvEIdZivBCHStUTBTOpU80f4"
    "T0zQ+1b2lJ64i1G+W5TVSF2jMis1QLty8xG90WBvgPFKAOCtAW80nTWYINYCQ7LYN5fjmJ"
    "q1647YtAwM2pJBW+XwCGg24eyIfm6Wi11kSusakOmxplOMk8T+akG8UttR3qxhNlLerp7B"
    "WA7uU8J+DFlU2YvoWQj20TPYB87Z6NCmEN5QE3CT9gBuDXCl59iw6kdaBgJ8HueypZ/eFO"
    "SM0PBQPqmD8kk5yicK10OwIs1WwbXMYMqr9LwVZocL17GUBnNl6FpGDgLXGgSuLVxsqSIF"
    "K1O+LWWE4O7H0Gx+QVwb2wWEq8MoMoIQPKNLVEWd4BkIqtBgJYEdf9jx10sZsOPfI7A7lE"
    "AZEbvCPxuVsYvRXeNxelG6ed3zi6W8IZwivVF3FE6RfjzsvZNTpIGA7Xh/bJtTbaSdkpk2"
    "3mB7dKKVOGxtnt3uANXo89+Ux67rTKvVXNDJXBuRpuqTjB8nW/s/y3gQ7ppKAaozj+sooO"
    "9TjwengBV5HZnv5gIvaaggDKuUUd4HKOZpRMb2qupIg0RlqaxvVloq0ckgsoRM55YKFJrZ"
    "oTFeZe6A69NlAWAa+qqzQysqn6wkBgjwUR2Aj8oBLhYBhuInUPxE35iVHdnjTDCB4iftpz"
    "YofgLFT6D4iX5zG8RvaO2XQPyGLrQHxG9A/MYWgd2h+A2Bemn4xvqm8ShV11XwRmU2WEQX"
    "wwFdOk3GRgU/BwWLt8FwhJ5LrbtWrkBOFFwBcAXAHm3kCqyWqIICHst3G2zVgs3nu4G/Bf"
    "6WXsoAf6tHYJ9cIS9InJynjthMvPtAkU2vTjq5smcu7+YL/9/P2Ms6fcoGRpVLO0mamjPe"
    "tnaRPNFYnJYkTloSR1Dz8RKQ8Rg5DN3yd/me/2fich18v+r/gNtvXxj19n+QpzFxgTuCHj"
    "BD4g8ZHJgrkrfpR3z2HmZEnPckL9kiLO4AjceOzXUsTnV6g5L7YvDbDE2W4nAo4k6ffIqT"
    "IY9QDUIG8TSa+usT0jCSLxYAe6q1vyC/5yLoN+RrCeQrgUF4ClXu97vfbzKed+IR7L0//X"
    "0/431fXn34KWme8iDOL6/OFHCHrIlztpbocSOaxhW6+giTrxUlXxEkX7L3D8EWEGyhA9xd"
    "BFtYPsHtzpDPSg6QX90RPrVW2FhsFDfVcUqsHwX3aagOSb9AmGtgAAOXC1yuXsoALrdHYH"
    "coduacOt6PrrPg9rQr7EsyUiXmFxoZlQn6vLk55e2FER4JbCP/LeHlRPrb6kWAtNNm1jYq"
    "SLsHPloVk0plNnQiAotne+LOsZslx8XtB0Hb5coG1/Cwj8uLBue9a27hi5dtgO1aYnjVgj"
    "cMLhCgQIACAQoEKBCgHaE/JILsCUnSm86OBhq0My3zrqh73+przolCFrzOesaWRRYBbc62"
    "5gRbOY2a6XU7PmOBWmmw45AXBde9vRpg32f7SnhwuMnd/DvIiMFMBFs/u7L1s57AYQPo0a"
    "M184vd4/AmNkp/4Go2j9TFNmfMZZDl74A+/HZ5OVLM1ADsI8BmVqYSWLezcflTnCPwiTAW"
    "/fjCtmW+iVG1aZnkHJgsal0zX+LKI8inoWcjOkVYpi+IbAMcpSLIPSliI5HvsMCOLZId/k"
    "E46nS+HI/RnGAWcmcI+SQIfY/ty3SETLJEB/232UsVz41GvpGhu+TmamprO30Ltla13FrN"
    "qLIup5wRGuBu3+YrjcIO9lY8sDalu6FU9waA732DWzvYO55QbBJgx1XscpenVaVEBrAF2H"
    "daFewHtlLFru0gAHGqweoBAfPAmuqlDAiY7xHYHQqYv6RBQPzlW/6uIwXnlL5tVPFNbtTQ"
    "tHnL2rU5VmPtGUNCEOEAjcfiL1nnAu09f/7m+XP02835/g+iwgVaUOqiGeU/TNbNCBzrjg"
    "TsGWLcKicoLiGSq86x+YeI+hy8E4J91yG+7JQhl0wDFHoP1CtjpYo0VPwSUCpTn6XEqKCa"
    "EnU1NJ9TYmA7a207Q+B154HXi7gsbAM6K5bozyZ+PoBZLMVkUdel98L4aHggZk4Q8G+Hvx"
    "fOJ8RvNKukRAZAdHV9RtdqnDZmyvOSMMRbHjjKLRyvpWXkQVzyDlhGwCoCtaWrMjZMbW2V"
    "h7mRZMOonImJGxh1uJiYuajFxpSjXSe+Rrq4uWN6gcTQksTYFXO0t63tzRukcxxYM6IY5a"
    "VDPCUxoHj5wxdHr45evzw5Wg3w1ZWqcb27UTDDsuohRx5y5DWCG3LkwXs1wHvd2eUk5SPU"
    "xz8lBNBDONJuQA+czTbDkew4VuWJ6OYiXwaAryoqKTW/QqDXoAO9Prp4SfxVDmGA41kxRz"
    "OqmhlVZONCCpjrfMOVSH9nDq/TuSCSSptV0KggISFpr5ccG5lpq6B6KzbEE4HBkGYbIyEf"
    "HK8JlElzALIAZJTl3Wz+TQkNBtHec0mbLnqJBCDeDvGJc3tLWGA+NA29ywkC/lBEbGeVAO"
    "QTkE96KQNy4XoEdocokk8uDX7hPS2oMgIrfduookQYb2h+iVp2T4UA5aHN3GtUUB67kPgy"
    "ECWsQXexMKJpm9j0nCiEp+u8wR8u7JZxHFnJAcZxjHyC7SvPXcYjcHfVHr89uHcaTrHtCk"
    "UXZQcU/Qq+ng7K6NDXS43e/lw+zcZ6XY+v+KVrVX33lPiONRspnL74jlHl7+F1my7TbBo5"
    "dt+KV/fEXalyf+2e+EmV5bob1CmRIW5PH9c55pC3Kt+gPi4cdSg+qgYIx80HiO6L5/VKbV"
    "TV2ijs//MnBsRT+ES/fLr6UGYZr0TyzpBjBeg/yHXYLhrHFeAKMDIeT6HaZr6wppF1ZUQH"
    "ZypzrM/F7O//B92qgN4="
)
