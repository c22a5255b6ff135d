from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "items" (
    "key" VARCHAR(50) NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL UNIQUE,
    "type" VARCHAR(50) NOT NULL,
    "tier" VARCHAR(50) NOT NULL,
    "base_durability" INT NOT NULL,
    "rob_bonus" DECIMAL(5,2) NOT NULL,
    "defense_bonus" DECIMAL(5,2) NOT NULL,
    "revenue_min" INT NOT NULL,
    "revenue_max" INT NOT NULL,
    "operating_cost" INT NOT NULL,
    "insurance_percent" DECIMAL(5,2) NOT NULL,
    "upkeep_cost" INT NOT NULL,
    "purchase_price" BIGINT NOT NULL,
    "sell_price" BIGINT NOT NULL
);
COMMENT ON TABLE "items" IS 'The catalogue (game/content/items.toml): weapons, armor, businesses, housing.';
        CREATE TABLE IF NOT EXISTS "crate_titles" (
    "key" VARCHAR(60) NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL UNIQUE,
    "tier" VARCHAR(20) NOT NULL
);
        CREATE TABLE IF NOT EXISTS "crate_types" (
    "tier" VARCHAR(20) NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "wealth_min" BIGINT NOT NULL,
    "wealth_max" BIGINT NOT NULL,
    "duplicate_title_payout" BIGINT NOT NULL
);
        CREATE TABLE IF NOT EXISTS "active_buffs" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "category" VARCHAR(20) NOT NULL,
    "buff_key" VARCHAR(50) NOT NULL,
    "multiplier" DECIMAL(6,3) NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_active_buff_communi_303c31" UNIQUE ("community_id", "user_id", "category")
);
CREATE INDEX IF NOT EXISTS "idx_active_buff_expires_6e4d05" ON "active_buffs" ("expires_at");
COMMENT ON TABLE "active_buffs" IS 'A consumable buff in effect (one per category).';
        CREATE TABLE IF NOT EXISTS "black_market_inventory" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "rotation_at" TIMESTAMPTZ NOT NULL,
    "stock" INT NOT NULL,
    "initial_stock" INT NOT NULL,
    "price" BIGINT NOT NULL,
    "featured" BOOL NOT NULL,
    "community_id" BIGINT NOT NULL,
    "item_id" VARCHAR(50) NOT NULL REFERENCES "items" ("key") ON DELETE CASCADE,
    CONSTRAINT "uid_black_marke_communi_b6c29e" UNIQUE ("community_id", "rotation_at", "item_id")
);
COMMENT ON TABLE "black_market_inventory" IS 'One offer of a community''s black market rotation (``!market``); stock is shared.';
        CREATE TABLE IF NOT EXISTS "business_revenue_history" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "amount" BIGINT NOT NULL,
    "due_at" TIMESTAMPTZ NOT NULL,
    "collected_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "item_id" VARCHAR(50) NOT NULL REFERENCES "items" ("key") ON DELETE CASCADE,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_business_re_communi_8d67bc" UNIQUE ("community_id", "user_id", "due_at")
);
CREATE INDEX IF NOT EXISTS "idx_business_re_communi_ccc3c2" ON "business_revenue_history" ("community_id", "user_id", "collected_at");
COMMENT ON TABLE "business_revenue_history" IS 'Every business payout (and its day, for the daily cap).';
        CREATE TABLE IF NOT EXISTS "cron_runs" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "job" VARCHAR(40) NOT NULL,
    "due_at" TIMESTAMPTZ NOT NULL,
    "ran_at" TIMESTAMPTZ NOT NULL,
    "result" JSONB NOT NULL,
    "community_id" BIGINT NOT NULL,
    CONSTRAINT "uid_cron_runs_communi_96ac5a" UNIQUE ("community_id", "job", "due_at")
);
COMMENT ON TABLE "cron_runs" IS 'One run of a scheduled job for a community at one due time: the row is the claim, so';
        CREATE TABLE IF NOT EXISTS "housing_debt" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "debt_days" INT NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_housing_deb_communi_cdb7dc" UNIQUE ("community_id", "user_id")
);
COMMENT ON TABLE "housing_debt" IS 'Days of unpaid housing upkeep (GAME.md: ≥3 debuffs play wealth, ≥7 evicts).';
        CREATE TABLE IF NOT EXISTS "player_shop_inventory" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "price" BIGINT NOT NULL,
    "rolled_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "item_id" VARCHAR(50) NOT NULL REFERENCES "items" ("key") ON DELETE CASCADE,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_player_shop_communi_13bac8" UNIQUE ("community_id", "user_id", "item_id")
);
COMMENT ON TABLE "player_shop_inventory" IS 'A player''s personal shop (``!shop``), rolled on first look and by ``!reroll``.';
        CREATE TABLE IF NOT EXISTS "user_consumables" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(50) NOT NULL,
    "quantity" INT NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_user_consum_communi_8eb20d" UNIQUE ("community_id", "user_id", "key")
);
COMMENT ON TABLE "user_consumables" IS 'Consumables held: Bail Bonds, Reroll Tokens, Crate Magnets.';
        CREATE TABLE IF NOT EXISTS "user_insurance" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "plan" VARCHAR(20) NOT NULL,
    "share" DECIMAL(4,2) NOT NULL,
    "premium" BIGINT NOT NULL,
    "started_at" TIMESTAMPTZ NOT NULL,
    "paid_until" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_user_insura_communi_537d58" UNIQUE ("community_id", "user_id")
);
COMMENT ON TABLE "user_insurance" IS 'A player''s insurance plan (``!insure``), charged daily.';
        CREATE TABLE IF NOT EXISTS "user_inventory" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "durability" INT NOT NULL,
    "is_equipped" BOOL NOT NULL,
    "slot" VARCHAR(50),
    "is_escrowed" BOOL NOT NULL,
    "escrow_expires_at" TIMESTAMPTZ,
    "notify_platform" VARCHAR(16) NOT NULL,
    "notify_channel" VARCHAR(128) NOT NULL,
    "acquired_at" TIMESTAMPTZ NOT NULL,
    "equipped_at" TIMESTAMPTZ,
    "community_id" BIGINT NOT NULL,
    "item_id" VARCHAR(50) NOT NULL REFERENCES "items" ("key") ON DELETE RESTRICT,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_user_invent_communi_0eed43" ON "user_inventory" ("community_id", "user_id");
CREATE INDEX IF NOT EXISTS "idx_user_invent_escrow__1ed8ee" ON "user_inventory" ("escrow_expires_at");
COMMENT ON TABLE "user_inventory" IS 'An item a player holds: in the inventory, equipped in its slot, or in escrow until';
        CREATE TABLE IF NOT EXISTS "crate_loot_tables" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "table_name" VARCHAR(20) NOT NULL,
    "entry" VARCHAR(20) NOT NULL,
    "weight" INT NOT NULL,
    "crate_id" VARCHAR(20) NOT NULL REFERENCES "crate_types" ("tier") ON DELETE CASCADE,
    CONSTRAINT "uid_crate_loot__crate_i_649ef9" UNIQUE ("crate_id", "table_name", "entry")
);
COMMENT ON TABLE "crate_loot_tables" IS 'A weight of a crate: ``kind`` content (weapon, armor, wealth, title) or item_tier.';
        CREATE TABLE IF NOT EXISTS "crate_opens" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "tier" VARCHAR(20) NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "item_key" VARCHAR(50),
    "title_key" VARCHAR(60),
    "wealth" BIGINT NOT NULL,
    "duplicate" BOOL NOT NULL,
    "placed" VARCHAR(20) NOT NULL,
    "opened_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_crate_opens_communi_82bb61" ON "crate_opens" ("community_id", "user_id", "opened_at");
        CREATE TABLE IF NOT EXISTS "user_crates" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "tier" VARCHAR(20) NOT NULL,
    "source" VARCHAR(40) NOT NULL,
    "is_escrowed" BOOL NOT NULL,
    "escrow_expires_at" TIMESTAMPTZ,
    "notify_platform" VARCHAR(16) NOT NULL,
    "notify_channel" VARCHAR(128) NOT NULL,
    "acquired_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_user_crates_communi_c4c98b" ON "user_crates" ("community_id", "user_id");
CREATE INDEX IF NOT EXISTS "idx_user_crates_escrow__0c57b9" ON "user_crates" ("escrow_expires_at");
        CREATE TABLE IF NOT EXISTS "user_titles" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "is_equipped" BOOL NOT NULL,
    "unlocked_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "title_id" VARCHAR(60) NOT NULL REFERENCES "crate_titles" ("key") ON DELETE CASCADE,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_user_titles_communi_466b1f" UNIQUE ("community_id", "user_id", "title_id")
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "user_crates";
        DROP TABLE IF EXISTS "crate_loot_tables";
        DROP TABLE IF EXISTS "player_shop_inventory";
        DROP TABLE IF EXISTS "black_market_inventory";
        DROP TABLE IF EXISTS "crate_opens";
        DROP TABLE IF EXISTS "crate_types";
        DROP TABLE IF EXISTS "business_revenue_history";
        DROP TABLE IF EXISTS "crate_titles";
        DROP TABLE IF EXISTS "housing_debt";
        DROP TABLE IF EXISTS "items";
        DROP TABLE IF EXISTS "user_consumables";
        DROP TABLE IF EXISTS "user_titles";
        DROP TABLE IF EXISTS "active_buffs";
        DROP TABLE IF EXISTS "user_insurance";
        DROP TABLE IF EXISTS "user_inventory";
        DROP TABLE IF EXISTS "cron_runs";"""


MODELS_STATE = (
    "eJztXW1z27ay/is4+hJ7hnUTx3Zy0zt3xnbS1q0T5zruPZ3TdCiIhCRWFKESpB3NOfnvFw"
    "BJiS8gTcoiBTH7JbEILEg+CwL7LBaLfw/m1CYuO7qk83noOcFy8Ab9e+DhOeF/FAsNNMCL"
    "xbpIXAjwyJW1rbiaQ+R1PGKBj62AF42xywi/ZBNm+c4icKjHr3qh64qL1OIVHW+yvsRb+T"
    "skZkAnJJgSnxf88Se/7Hg2+cIbj38uZubYIa6deWTHFveW181guZDXLpzJlRf8KOuKG45M"
    "i7rh3FvXXyyDKfVWAo4XiKsT4hEfB0TcIfBD8QbiAeP3TV4qeth1legpUzI2GePQDVJvPD"
    "LX1wam+eHmzvz07s40Bw0wsqgn8OWPyiQAE/EI3/3X8fHLl6+On788e3168urV6evnr3ld"
    "+bzFoldfo4dZoxU1JTG7+unqw514IMqVGClYXPgqZXCAIympjDX6zA0nRfwvp9hXo5/Uz+"
    "HPXyyPf4K2vgqY4y+mS7xJMOU/z04qsP2/89vLn89vD85ODrMAf4hLjmWRgHoNrfy/AbRJ"
    "/e1Am1xYY7v+pldADjqB9vj58xrY8lql4MqyLLqWTwQaJg6KGL/lJYEzJ2qcs5I5tO1Y9C"
    "j5oy3s2+zY/AXtG89dxh9UBfh3V+/ffbo7f/9R3G7O2N+uxO/87p0oOZZXl7mrB2c5Pa0a"
    "Qf+8uvsZiZ/oXzcf3kl4KQsmvrzjut7dvwbimXAYUNOjDya2U99+cjVB7auYOcaz1OglLo"
    "ywNXvAvm1mSlLdY4o9L57vcnNLLPnjr7fExRLbYjfIz6OXUXN72Bm+Jt0/uZp0CoEiPaZl"
    "uBaL5sfz/BXs4Yl8JXFvcacy3KpslBS2j5sqSzOt2UctlsE5iusjjFZtIPrgsSM0HMZlpm"
    "MPh8hh6GGKA8QNGLTgPWNM/fkzhsg94VAiC/v+EmEmih05Iqexb+s+n72k2YO7Byewpmjk"
    "U2xbmAXERyHj/zi2gX51rJmqBHGZqbyRY8sWkevwct6BP3ssHAmkRoQhx+PPyDswcfnjHS"
    "TPxL6f8Wa/T/A+WiwPDfTWYRb1bTQJHdcWd+A1ZcPywmf+1oy4Y8Qv4hUicS1ehMaE2Ah7"
    "NrqnjkWSGsyQTYg+Sl3CsUgkRZc5/OGzNxz6vCDCjpcFRtQQb1S2czRQm6B/DJJ3ERXWSh"
    "j8mTNO/0j1r9i+TAT/BMNVS8M1rdm6FlZapjsrqzMT9sVZDTPrRX72XltZoihnZK0/mQYw"
    "Z6X6CPTx6zpIH78uh1qUZbEWI1wTlJP6HdIFMfR2Qxnq4FuObgFbObc1AXclAGQMyBiQsT"
    "UZy2g9ZzPVN4UK1tajRtE+aLozu6jAiBU6KSrkR+oTZ+L9SpZSKVf84bFnqeYQlRd5z5RR"
    "Rnv5ZR8/rKz5Qk/kKPB3J0E0P5x/ujx/+27wtdzj0CaL/ujiJfGvbM4LS/z8uRpGFYNeyL"
    "r8NWXlui7/wY23ZqkIWxYNvQDRMad3UYNvUNziUpCzNKdd01OPc9uIJYrnPyqQ55buoWSE"
    "pUQv9bcpWq3HE0VNcUNzRpbAGzUZHw3gjbvljYUPaQOw07J9BL0NDpmMRk3wTsv0EedafO"
    "dFBd95UeQ7+VG/Kdar2QLwroU38Mty9PvLL8OFvaHWs5KgdV20nmCUUnv89OBV0MBqzk5w"
    "jfEvN9gA+mrowaHTsUMn39e3AO5vcTM9xTX1cevkI5OoKzxjiTbK/WHihZr4wHht6iFs+Z"
    "QxhF135YNiR+gCu6JzRIELE4Ion5lR4neKgjAwcok94b98+lDiAdv2HR4Pyi36s1xnLG0i"
    "84FgN5iaBPsex53LFet+WaivzwljXFvMZIR3J3CE6ekIA19BN9zVdpjwYptNsc7LbYR33K"
    "2/IbijcavZwLKW6c5ufd6DwWWNOp8KGiEe1Qe0N0PbJfeqcJZStFf1uwP8RbuAH784eXXy"
    "+uXZyQrn1ZUqeItQcqs+CJkZOCoOULENJivWYZTQx9CbDToZnk/rjM6n5YPzadGNOyXWzP"
    "FMfk+CZw06cFGwN0PH1nqyi1lgJkAJ16baaVoW76YQrvKb7p/tUQGmcHvm0AxogF1TGmAy"
    "HKFBZ1WJQnfNd9cHx1Nszik30eLqAGThu6eMkSZQrgUAzDyYPh01/t4zMgCpClIWWhZhbC"
    "NoC7IAcR7irMOtAG8VESuI9gbdrjmZ2nHaSBnlbYBWNtRKZNfiwPSJXGxoHktQ0sQWggr2"
    "x0DWPIZAsTUBAoZ6FjoCAUPfotbrBAzJAZoR4m00sieCoHNddA5bzzQ2riBSSZutZ+lAiv"
    "Serty30CDdTXE7WU+gz4wdExGAH2VbeRpcP/GG3t2TvRwxaiFlUeraIofN03C6jJvpK0x/"
    "YUexGtsEoV/iFvqIDg5tJzD5V+I/eXw6F01d08necus6SAXYn5CnDk09R8p1vBmvYj+1Q1"
    "3zdi75n3369tqMtl3PeIqQ28x0WB53m5t+W006+0c6bDnl2VGGrabLIWZVy5hV2W0iGAta"
    "KA/WyUr1MG71pE6kzkl5pM5JSRSl4CMBbtbh85KwcrFpROUm6KelAPnNkE8/bAH8O/KlBP"
    "qcWA8Sh1X5C9/9fpdxFSaDycH7898PM+7C65sPPyXVU4PP5fXNRT4Wk4a+1XhPfVaqf1Hy"
    "kLANvOaZeuA13+vpBbZWw4KFXspQuRKSB4C91R2sBJXtrb7lA/7t1eXdrjZXrxz3yvT9a6"
    "d+Vdr+1ArCdl096lx8iS+HF2HPXpH+yKkaJz8ci107+dR+4PHR0uOTV2RdVpCX66HXZ/v7"
    "s4pfSQPElcI9YME5NnZ6WoeNnZ6WszFRlsWdfFk43MrfgI1lJbthY10OQntCviAmFTg3cG"
    "7drArg3MC5dVUGcO4Ogd2jfGYyEkxBt5MIsXKqnUSh1TkTL0qrj6zQ97m17i7FCXBC/gjd"
    "kjm9F0ereWjEL4gj1kZLmVZfmppL9BcdFdOXbaXFRhwf6Ls2o71RQd9FF9jI5M0I9tDi3R"
    "MLtxax8fngiRnZQMtZSaCvemsZM1VERMUJdSuJ3rmB2slyD1QRqOI3Bj1QRaCKOgG7R1Tx"
    "k0iGN+cv+IkwFr16gTYW6hhVFJIltU0WVW8/Qh94m5a8LXACt9F660qgd6ZeK/GXOzmFTu"
    "sw19YOL28CcUqkhwi3ceIcNw38zRY1s5Lg4tGa/BMO4SZKTst1kjELvDubKTj5GkfN9l5k"
    "pGDqr7X1Arw84GrQVBldpa5pkxbLLegXOLCm/xsSCWqBFeerGFWkONo9PBK1zb9X1WudGe"
    "XTB3GqkzizKfiO13buxRHmsik0dkM2JTYa+3SObontsB+QE7C41LHRHM9IdNi5rFpYc932"
    "DT57jk3mCxrw1615fBSQdy3Je9RXm526nZbZzjy+W0Vk5vGzkxrT+NlJ6SwuilTHhjQ0lW"
    "KJDs0kPqq5DkkepnVrqZaxVGErFeKi5dDbNGl4Tqo32+C3li48itVpjGteDIDNA7tfEd6d"
    "jsf9CvAuUIndmLoffSqORiB2aU6mXI1KQ3eR1G2SnWnwT98JuMko4v2EKcn4/Tls2GPCHB"
    "XHmTKEPSRbfMYQGY+JFbyRVcXktPyOcasT2cQOF8Wwwi23XSvAMO1lj2YSiDbcF8N3J6sq"
    "unH4tpdVVh9FA5DTMn0EuY2VlRl/tSYYJ/V7iO/285ut57rmtlpeFqw1za21bBSrYMQK5l"
    "6e2Csl0odF4SpltpHVayfeKM0wb9sdBWtKsKakqzK2HL66G6a9yqet4NjpXNvl7DpK7u3G"
    "1dpNegyZjbUcLIwK6so7A/XNTQhsUbJ3cRjbJ7ERaPJXY6gTqf7B3MampshV1xDlznPodm"
    "b7bT9pk00C7LgKRvPLp5sPaoRTInny6lgB+g9yHdaa3Tf473HoRf7bUei4geOxI3Hb/2mr"
    "k1cALiCqJjx5bmNkGaloIE949msVqNtvob+OhWhuaGpEpaU2ol66Ed2d7NkE+quBElb5/5"
    "ppICMGnwA4HzQOaC2M91tAt+beWc06eV1c0/NbBlP+AOjDb9fXA8UYAqg+gmpmzCyBdTd+"
    "sgsaXFJv7CgdZetCo8pTNqIiem9Vr+Wk0eLckCeFd3wrDrInRsmVu74anvfylINedJueOv"
    "C/3GM3VDi5yp0DK4HuXQO7WfVsxQkQLuwNnQBZSXAC6OIEUGyjVByYDEQUqJCeyujD3r63"
    "DrOob5/HO90u43QNCluzpGal4WlHMmaykc6M00HUjISO78HQw5QyguaEMf4WDB0E5EtwKP"
    "KeLvhIQ3gHQwf31LHIIZJ7KUQYs4hZFgfjPmNyL18xFHrbjcPmPo1HsypreRI6vKVm4VRp"
    "mbbs5t3t7nt5XMNqfnlcajSLImXmmIYoZ6V6t4ly+zDrH+E8EKNrW+uSWXjrRJCXx48Xos"
    "fBEgVLVFdl9MgS/UT8e+KXuzxV1WrZoExKtOYHBVtPl/FCf1uv1zbImBDb3MzeU4j2b6/C"
    "9hHng57pU5c0RDsnBkg/jvTCJ2PnixkfhamIELygHFDslW1zK0jnQB9x8bbMj2SM6XYp4O"
    "Lm5jrjar64yu9w+u39xbvbgxdSDbySE2TGclgAgAUAoF1Au3RURh9o17XjzS75nwMF11qV"
    "GVUEy+W1OAY2qenVP0fUI9+JkRYJqSid3j9EK2/QX9TxIvc6tiJvezDFwuU+IzYKqCzh0v"
    "FVjz0Qn6kOT2vhDrViX8TtILeJPoOYUcEFrbhn1/ZGx/X7GCez9e1gkDimQ5DN0iOWHgfb"
    "LD9pqRegt5FIBvYjlaO/n0ykzn4kebgqYZvk7M9I9i+7zZ4oWUE3i1oON0thFG41e5Fmbr"
    "U+6XdBPFucx7WRgaKQ7Z/btAU7JcZtEzOlKNpDxNswUhLkmqZkyMv1EO42dgUksG2Q/S4j"
    "CbOHzrMHeKM12BcNBwrDQoBeymhvUzScJ1wHV03PE/4Y84Q7OiPeQJVMPlPBqMwln/jrAl"
    "G35lLLzXkYTFEkgVznniSJ34VTfISFiEcDcXHsuIT9IPciii7CkE/GfN6citpzNCU+KS6z"
    "bL115RJLmmzFSzaQQF6rCcKoWGSBdYBOcu+tPosGMGel+gh0G7Q6Qa15psOsHOQ6rJfrUC"
    "SGj+a8ItrlGcbzcr3o3VVEuo084/Ek3Rz9gmAffEhdo88sulCl1S/PM7GW0CMHpbhfb3JQ"
    "arT6t0cfxr759yDGuHy238+V/bIY44JXazcuAplOgVyE4/FAlQh/XWpUpsKX9cwRr1g7CF"
    "OoN5yLFpCQEzQ9Ou8NHYj4R3kIMu+dE+ovD1Uhlo3lawVQpjw5iTRQ/f2g+it9FXRQEVOZ"
    "kumFjd72Ab7iUzMb5ndLy/QQ5O0ngJ/zp3XEEVUK1/tbYjlz7JZsqcsI5o2ASPIobmEPca"
    "/A+e27y6v359cHZ8bL3Eau9Gly2prUEFDX3pI5BMv2zKSuEywLgRIQKPGtQQ+BEl0fXQeR"
    "Ej2JlLhweTPvsT8jwZUnjrYWnFCV8FxVz6jMfS4kzLkUMZ2MzOPhEx5BdDwmPv8XYbTqk8"
    "8Yks2iqFnk0wBL1/fBcPiP6NpwePgDYgHllRyGGOdmxFZEULRwg1pulqTB2Lbipvocgiq0"
    "mkyMCk9LTntNbOqcaA+N6j0xomtxJ/l9F1Vc+pmt6vfJcnviMQmpQYsPgA52zaaoFuQAXQ"
    "W6C9+xFBExVbPCSqRPgHbM8cYEByGf+xXIV+WiSot1mIRqdWVvs1CBY0ODTp/YqwX8yxdB"
    "UiKwBlKyBgIOjF06MEQP3QK6V3EzPQBW5cBIfcdaOTBC5niEsVtyT7yQ/OywUheGuqZR6c"
    "SIZUw/EjKnKalH3Rjv7om/REkbaIGXNAzQAfZs5AQM2XhpoDH1460bjrtEFl4oYj6e0E7T"
    "2A+bV+YMNe+PqI4Xoa5LrHjB6E9wXWjpusBzEQXfTANrGTCZNjaZ4i+qAHy1u2gtBZ4irT"
    "1FmcGvoZLzsj1UNay0AyFtc3QFQtp6UB4EM0Awg17KgGCGDoHdKJgB3Cs9ca9c+tS7DZU5"
    "NJIio8qBYvFKph/WzpvhEcRrR1EZzJoSO3SJjf6iI+ngSEVqIBzIdOGcKCFhG7+R3g+fPo"
    "ioDPGn5WJnbiBGC+6UNm7y2ZMlvNUpB0Pk5aDiANMpfSD3xEcc3yV6oP5M5OAIHGtmIOG9"
    "wauW0dxhjD/Ew9RxCfJoXPmz52NP3GzMmbiNDngBv/uhFJavIG7yMCUy/cdSPDhBQvH1fT"
    "/8rSv8PuDM0dKZEyutrsUbV++htXtSx9o9Kbd2i3sjwF3Ta3cNH043Cd7CPY7b6rGLhrck"
    "oCpouzyVw1pCj1QO4ra9SeUAHjPwKeiqjC37FHbD1n6mYo148paMgoGCsaWLjSrWNo0q8h"
    "eLaz5K3N7iJROEKvQW2LFR3AAKFzNCFujgp/P3747m9hv0OTw+Pjt9iXjLImcCWriYEyOC"
    "3WBqxIWvELnnox5TLIS3dpdGy+RAkrQZ2IwKkiQ6r2nzHlNUQqkGMjLdTTLP21XE1kKNIU"
    "tP36xoBWmCk0D1Gd1gFQ4sZl2VAatwHQK7R1uK5UKdgn0kC3jltEOsgdVcKLoTiy/c8nPp"
    "JCToYMJv9T0HLCBe8L1s5iigc/fwjbD6FxxIA2F/Tn1jFUVL+KWYPxR5xtZbV/CLuiSiYc"
    "6praab2i2LaCWupZwvNE0svd2E0hpB3UpCaQlPA3ST+j1ctNp+iFagzJhWAa46URqAqwJX"
    "HKhh2qGPR46rtPpKzW+FZHdmOP8G27XCt+ZV8OnIHFEvVDhqKpP+ZeR2k/OvLYgr8EsS/p"
    "0ax7UT/vHnIx7vi5ugXJAFpCuQTvaJzR1F4v7SgSInBY7HwhCRAIS/bAJrJAWw5mGlC/Hq"
    "YqXHokzh0y1FtigI4BaznjA+9XsWMTlYFlFtvqsceJXyMPhWDL7ROmDTvpyTgo5cSDAT+t"
    "ZUmLKbZJopyIIjeuM1AEZcdxMlZOVAAU9bCdiNV/Wji5fE/zSli8o8japqxiPHW3IBk3GJ"
    "plkaz1Ek/IyJQycY9bCLRDsyWaL4Yzg8NJAvNrnaiIrDKH0WIJfSmYxfHy0Rr+cTUWE4VJ"
    "10se3mmyZDgOyM2n2NRoUDFxKh7WRWir7AjVJipgR7GBKyvyEgxUhqiAHR4EuDze6w2b1f"
    "vRvCbCDMRidgYbP7t7zZXXTky9XpigMFvc7VMKqYtew368MaawY2rVtnaMqf+g26wI6LLq"
    "hnMwPdSjqL7sT5zvznpegb6D2eeCRgRQb9xLaa0mURegRUWZu51aigyrsMKtu1cdOyBfl3"
    "iL2gWZxIWgSWHyDxtzYDCPAi4EW6KgN40Y6NeE23HwjUr5LQiUGJDb+u8LgJ72TqNlkVW0"
    "mKS9EZYvISkStXFje3+BtEGbsrl7+atgO7mfdz1K+y2IXmm5jsSf0e2uzbP9xdnuKnWL6q"
    "Cs9ayXyLp42fNIjKWvhk7oQKr1j1wuxKCEzHzQOGAuxvtl8/KwmLs1ovzopkKGboBY7bVM"
    "1ZSVCz1moGR4gGQyo4QsARopcywBHSIbB75wipiBXOVjBqOEKahQd7SKzzIhw7MtCU8sd+"
    "gxyZrBqtWjMQ+Tt0FgtiiyJxoBlzaWAg6ovfok36gFY2StZHsvVbfPaGw+i3Sb4sHD57cx"
    "N4OEQH9J74Y5dXG/t0jizRjZkh7jLmrYl44znxJ6Q8nVzOy1LhjzHQH4PCI8C5apr6ZTba"
    "GL6rPeHta2N7u+eYmXyziu5ddcJyThIOWW5wyLIYFpt4GZP6G3kZ48FCmx7ccmCA6JdyWN"
    "+oR6ckoUc36NHFmbSAfbWLRNnAFjwlmvX+PjlKPBo446XJbcJgTH2F57kiqVNRtLsVlMGg"
    "k6HtxVmd9E55BaayO53lh7YYNWuKPY8onJCP4p2S7B/cx6/r4H38uhxwUZZFHFvcxPE3cu"
    "3nRHvo9N3TXLx1TrRILNtNJrKsKExhOk9h4OvXwNcP++1gv12/ejcsp8Byik7Awn67ne63"
    "u+V2yu3V5d3uTpflWF9TGtyVbbjL1TCqz5rldU2XVzaDBjvuztED7yzTIDoPVjbyBg2HM6"
    "7T4RDFab/RQZTqe5XpOzlNKHAClxzKlSQBssisq4rlbeMW6jBfCUKka4mCmeSp5rfwn7hB"
    "71tZU3riKkb5alFWI3WNyqxUD+3K7Uf0Rp29AcYrAYC3BrzRcNZggFgL9Mli394ex9SoXb"
    "fHpmWg05Z02irCI6DZBtkR7dwtF/voKa1rQKb7mk4xThL7mwXxSm1HWVjDbKS8Xj2DsRzc"
    "p4T9GDKpshe5ZyHYR89gHzhno0WbQrChJuAm9QHcGuBK5tgw60daBgJ8HvdlS57eFOSMUP"
    "9QPquD8lk5ymcK6iG8Is1mwbVMb9KrdLwUZocL17GUBnNl6FpGDgLXGgSuLVxsqSIFK7d8"
    "W8oIwf2Podn+hLg2tgsIV4dRZAQheEaXqIo6wTMQVKHBTAIr/rDir5cyYMW/Q2D3aANl5N"
    "gV/GxQ5l2MSo3H3YuS5rXvXyz1G8Ip0lulo3CK9ONh762cIg0O2JbXx3Y51EbaKRlp4wW2"
    "RwdaicPOxtnddlCNPv9tMXZdR1qtxoJWxtrIaao+yfhxZ2v3Zxn3gq6pFKA687iOAro+9b"
    "h3Clg5ryPz3VzgJQ0VDsMqZZS3AYp5miNjd1l1pEGislTWhZWWSnQyiEwh07qlAolm9qiP"
    "V5k7QH3aTABMQ191dmhF5pOVRA8BPqkD8Ek5wMUkwJD8BJKf6BuzsidrnAkmkPxk86ENkp"
    "9A8hNIfqLf2AbxG1rzEojf0MXtAfEbEL+xQ2D3KH5DoF4avrEuNB511bUVvFG5GyxyF8MB"
    "XToNxkaFfw4SFu/CwxF6LrVmG1GBnChQAaACYI82ogKrKaqggMf2u/U2a8H297sB3wK+pZ"
    "cygG91COyTM+QFCcl5ao/NxLv3FNn07KQTlT0nvmNNBwoeG5cYVSQWr+vsJCgWUsm1kEru"
    "nvhMPFID2ysl0kPT6/j0tE5YyOlpeVyIKMstNfGPqgHCcfUeottKiHGc+bKI8C+fbj6U0b"
    "eVSJ6xO1aA/oNch+2jhVsBrgAjQ8sTTA/en/+eh/vy+uYiz7dFAxe7DqH8+v/N/xiV"
)
