from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "users" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "username" VARCHAR(100) NOT NULL,
    "display_name" VARCHAR(100),
    "wealth" BIGINT NOT NULL,
    "xp" BIGINT NOT NULL,
    "level" INT NOT NULL,
    "status_tier" VARCHAR(50) NOT NULL,
    "checkin_streak" INT NOT NULL,
    "last_checkin_date" DATE,
    "total_play_count" INT NOT NULL,
    "wins" INT NOT NULL,
    "losses" INT NOT NULL,
    "rob_count" INT NOT NULL,
    "rob_success_count" INT NOT NULL,
    "messages_sent" BIGINT NOT NULL,
    "lifetime_wealth_earned" BIGINT NOT NULL,
    "last_chat_reward_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "last_seen" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_users_lifetim_9eff3c" ON "users" ("lifetime_wealth_earned");
CREATE INDEX IF NOT EXISTS "idx_users_xp_586440" ON "users" ("xp");
CREATE INDEX IF NOT EXISTS "idx_users_wealth_413f3d" ON "users" ("wealth");
COMMENT ON TABLE "users" IS 'One person across all platforms. Balances change only together with a ledger row.';
CREATE TABLE IF NOT EXISTS "player_identities" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "platform" VARCHAR(16) NOT NULL,
    "platform_user_id" VARCHAR(128) NOT NULL,
    "username" VARCHAR(100) NOT NULL,
    "username_key" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_player_iden_platfor_20420c" UNIQUE ("platform", "platform_user_id")
);
CREATE INDEX IF NOT EXISTS "idx_player_iden_usernam_766839" ON "player_identities" ("username_key");
CREATE INDEX IF NOT EXISTS "idx_player_iden_platfor_140ddc" ON "player_identities" ("platform", "username_key");
COMMENT ON TABLE "player_identities" IS 'One platform account of a player: identity is the platform user id, never the name.';
CREATE TABLE IF NOT EXISTS "game_events" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "event_type" VARCHAR(40) NOT NULL,
    "wealth_delta" BIGINT NOT NULL,
    "xp_delta" BIGINT NOT NULL,
    "description" TEXT NOT NULL,
    "source_key" VARCHAR(200),
    "created_at" TIMESTAMPTZ NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_game_events_created_154aae" ON "game_events" ("created_at");
CREATE INDEX IF NOT EXISTS "idx_game_events_user_id_fb2413" ON "game_events" ("user_id", "created_at");
CREATE TABLE IF NOT EXISTS "cooldowns" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "command_type" VARCHAR(50) NOT NULL,
    "target_identifier" VARCHAR(255) NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_cooldowns_user_id_c864dc" UNIQUE ("user_id", "command_type", "target_identifier")
);
CREATE INDEX IF NOT EXISTS "idx_cooldowns_expires_e00616" ON "cooldowns" ("expires_at");
CREATE TABLE IF NOT EXISTS "jail" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "jailed_at" TIMESTAMPTZ NOT NULL,
    "release_at" TIMESTAMPTZ NOT NULL,
    "reason" VARCHAR(100) NOT NULL,
    "user_id" BIGINT NOT NULL UNIQUE REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_jail_release_c50130" ON "jail" ("release_at");
COMMENT ON TABLE "jail" IS 'A player currently in jail. Removed on bail or by the expiry job.';
CREATE TABLE IF NOT EXISTS "streaming_sessions" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "title" VARCHAR(200) NOT NULL,
    "platform" VARCHAR(16),
    "channel" VARCHAR(128),
    "started_at" TIMESTAMPTZ NOT NULL,
    "ended_at" TIMESTAMPTZ,
    "started_by" VARCHAR(200) NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_streaming_s_ended_a_ddff2c" ON "streaming_sessions" ("ended_at");
CREATE TABLE IF NOT EXISTS "event_batch_queue" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "batch_id" VARCHAR(64) NOT NULL UNIQUE,
    "status" VARCHAR(20) NOT NULL,
    "event_count" INT NOT NULL,
    "player_count" INT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_event_batch_created_581769" ON "event_batch_queue" ("created_at");
COMMENT ON TABLE "event_batch_queue" IS 'One row per chat-activity batch flushed from Redis; its batch id makes the flush';
CREATE TABLE IF NOT EXISTS "processed_events" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "platform" VARCHAR(16) NOT NULL,
    "event_id" VARCHAR(128) NOT NULL,
    "kind" VARCHAR(40) NOT NULL,
    "processed_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_processed_e_platfor_ddf2ce" UNIQUE ("platform", "event_id")
);
CREATE INDEX IF NOT EXISTS "idx_processed_e_process_eb5e5b" ON "processed_events" ("processed_at");
COMMENT ON TABLE "processed_events" IS 'Written in the same transaction as an event''s effect: the apply-side dedup.';
CREATE TABLE IF NOT EXISTS "audit_log" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "actor_platform" VARCHAR(16) NOT NULL,
    "actor_name" VARCHAR(100) NOT NULL,
    "action" VARCHAR(50) NOT NULL,
    "details" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "actor_id" BIGINT REFERENCES "users" ("id") ON DELETE SET NULL,
    "target_id" BIGINT REFERENCES "users" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "idx_audit_log_created_277f5d" ON "audit_log" ("created_at");
CREATE TABLE IF NOT EXISTS "bot_config" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(100) NOT NULL UNIQUE,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);
-- kingpin: invariants and server-side defaults the hot paths rely on
ALTER TABLE "users" ADD CONSTRAINT "users_wealth_nonnegative" CHECK ("wealth" >= 0);
ALTER TABLE "users" ADD CONSTRAINT "users_xp_nonnegative" CHECK ("xp" >= 0);
ALTER TABLE "users" ALTER COLUMN "wealth" SET DEFAULT 0, ALTER COLUMN "xp" SET DEFAULT 0,
    ALTER COLUMN "level" SET DEFAULT 1, ALTER COLUMN "status_tier" SET DEFAULT 'Punk',
    ALTER COLUMN "checkin_streak" SET DEFAULT 0, ALTER COLUMN "total_play_count" SET DEFAULT 0,
    ALTER COLUMN "wins" SET DEFAULT 0, ALTER COLUMN "losses" SET DEFAULT 0,
    ALTER COLUMN "rob_count" SET DEFAULT 0, ALTER COLUMN "rob_success_count" SET DEFAULT 0,
    ALTER COLUMN "messages_sent" SET DEFAULT 0, ALTER COLUMN "lifetime_wealth_earned" SET DEFAULT 0,
    ALTER COLUMN "created_at" SET DEFAULT now(), ALTER COLUMN "updated_at" SET DEFAULT now(),
    ALTER COLUMN "last_seen" SET DEFAULT now();
ALTER TABLE "player_identities" ALTER COLUMN "created_at" SET DEFAULT now(),
    ALTER COLUMN "updated_at" SET DEFAULT now();
ALTER TABLE "game_events" ALTER COLUMN "created_at" SET DEFAULT now(),
    ALTER COLUMN "description" SET DEFAULT '', ALTER COLUMN "wealth_delta" SET DEFAULT 0,
    ALTER COLUMN "xp_delta" SET DEFAULT 0;
ALTER TABLE "cooldowns" ALTER COLUMN "created_at" SET DEFAULT now(),
    ALTER COLUMN "target_identifier" SET DEFAULT '';
ALTER TABLE "jail" ALTER COLUMN "reason" SET DEFAULT '';
ALTER TABLE "processed_events" ALTER COLUMN "processed_at" SET DEFAULT now();
ALTER TABLE "event_batch_queue" ALTER COLUMN "created_at" SET DEFAULT now();
ALTER TABLE "audit_log" ALTER COLUMN "created_at" SET DEFAULT now();
ALTER TABLE "streaming_sessions" ALTER COLUMN "title" SET DEFAULT '',
    ALTER COLUMN "started_by" SET DEFAULT '';
CREATE UNIQUE INDEX IF NOT EXISTS "uid_streaming_one_open" ON "streaming_sessions" ((true))
    WHERE "ended_at" IS NULL;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXWtz2zYW/SsYfdl0JvE4il+bdnbGdp3UrWNnbXXbabbDgUhIQk0BCgHa1nTz3xcA3y"
    "9ZoEWaovElkYF7QfJcPM69uAT/Hsypg1y289mFS+SdO4hwzJeD9+DvAYFzJH5USLwGA7hY"
    "JPWygMOxq1QWStbCgTBGqhaOGfegzYXABLoMiSIHMdvDC44pkWpXBAGhyifUmwNo29QnHN"
    "AJgCBo8D0IW1wCzACfpaR9hjxR+xoQdCd+yTp5/zvywg61xZUxmTZ4DZ/grz6yOJ0iUe6J"
    "K335Mog0pUD025KtCGQGf/4pSjFx0IOApyAupWTj1i1aBqKLW2uCketkbCPaEVWq3OLLhS"
    "o7wdNzwj8oWfn0Y8umrj8nifxiyWeUxAqYcFk6RQR5kCN5Be750j7Ed93QppHJggdNRIIn"
    "SOk4aAJ9V1pZagc3kJQNLOvyamTdnI0sa1DoAZFGymBhkU2J7D3iVpkCYCpv4c0/h8N37w"
    "6Hu+8Ojvb3Dg/3j3aPhKy632LV4bfgZhK0gqYUZucfzy9H8oao6KJBJ5YF35QO5DDQUoZK"
    "0E8bLGuD0xn0yi2Q6RNZO4gHzNshQn2VIaKCxBLJ8GrDFHP4YLmITPlM/Pn2YAXK/zm+Pv"
    "3p+PrV24PvslBfhjVDVSVBL4IcD5waYKd1+wj68Ggd1IdH1bDLuizu0Qykg3dap4847+6u"
    "g/PubjXOsq4cZzXT18A60msK71an9ebhtj0k4bAgL4L9o6jheI7KAc9q5uB2QtWd6Mc2dn"
    "bxgM4VcZeh1VeAPzr/dHYzOv70WV5uzthXV+F3PDqTNUNVusyVvsrP+nEj4Lfz0U9A/gn+"
    "uLo8U/BSxqeeumIiN/pjIO8J+pxahN5b0El10Kg0Qi07yBZOTatnNY3Vu2L1CKOU2cO7z0"
    "6tpYxhFUWupgolPHkb7NsaVZZeyuS2lClLUItm+EA9hKfkF7RUpjgX9w2JXcYeQh/017CZ"
    "LTPBt6iPRaXJrOXB+9itS3c98eziiREPSMDxzenxj2cDhfAY2rf30HOsDNSyhg5priSWLV"
    "bNh/N8CSRwqsCRTyHvOY16SUQgskZ1HEA+kI7vL6QpEV65RxkD0HVj35vtgBPoys7BgD2D"
    "ZIoAFVMWiPxtcI/5TPjwLnKm4i+P3ld4/pu+QonfX/DrXTxRi4N1j6DLZxaCHhE4C7kvg4"
    "dF8H9QZTz9jnr6xhlqh507mMkwnKWLdV6vFt5ht35BcIezjtbEkui0R492ezC5JKiLOV8L"
    "8UDeoF0PbRfdIbcIeCXasXx7gL9tFvDh273DvaN3B3sxznHJKniLUAp6zn1mcVxG5qsn55"
    "xae2vh4LNPbgetTM/768zO+9WT834xUDVD9i0mlrgmgrcaHbio2JupY2M92YWMWxFQMnhT"
    "HhaqmCHKlFdFhraPe6wAUwZ2cmhyyqFrKQKm9lM1OmuZqumu+e56jwnTADUSN0AWxr1w+5"
    "EOlImCATMPpkfH2uM9o2MgLYOU+baNGKsFbUHXQJyHeC7wgVPELIbK4F3liBVUe4Nu2z5Z"
    "eURUyxjVbRir1LRKwGshtzykdg30d0srmtjAtun2EOSO75IWN8dNSkT1QNzOzXGTEvESrb"
    "5OSoSaoBlCpNbMHikam3fF5lUjvZCLUZ06kN5jTufr56hYqPvhl2vkQoVusSNUviqwZZ2h"
    "KmEjM5SmMvkS3SGp8yS4PoqGzu7QVmYXrYWUTanr0PuyGJYOTqdhM32FCfoO5pboB96TR+"
    "CxbOqCTreWWK+DFIfeFD118PUQKa1csATUvyAu2SeNsLwiaETFP48j+nPYTo/Q1EiWSybz"
    "koy5zExfnTaXW1keTZ6rfsh10tNSWYcpf85konUzE011iwDGghWqt+CzWj3MRttbZ/99r3"
    "r/fa8iN0pm4XKo1+HzmiYeWTdPqg76aS2DfD3k0zdbAH+EHiqgz6m1mOgzaJYVlEYBzn4f"
    "ZQIA0WTy6tPx799lggAXV5cfI/HU5HN6cXWSz7CivmdrvwqY1epf7utwrdzX4Yrc1+G2vw"
    "jYKtHpVyjMvBFm3gjrmgme+kbYtRgI1+eno+d6JSwOxZU4uekwXbWPm4kJbtbDzbq0dC6e"
    "wol9nyBoFB5NM5EpyfmDWIzj20nHN2/IdclRXq+Hzu/mk8+Lo0QD8VLlHjgDOVK6v78OKd"
    "3fryalsi6LO3pYYMF2apDSrGb/SOmWkFCTcGN8D+N7dIFLGN+jn6dRqO3FErcj2nasdjmi"
    "Dc7HD6M4Dg+DBLbveYLFuEuACZD6O+AazekdcgAlYCwKAPXAeKkOg1RL8BL8RcfFwyc20u"
    "Lju3nGd+mk7yLtXGu9zyj2cLnfkuV9LVbniRkSMlTDyllNw927bWXIynbFqt3hRKN3PnBj"
    "B2I+P09+IauWRp5wkdQ9xqijnLGG+fSzmqoZNv0khnwjD36Yi5u+QYwFj1NgywWZlcyZRd"
    "IWC8Sbz0szTLaTTJZj7mqF32OF3i1+jWQlPMuR8p1O/tj8ifLyeEdSdibUik2kRKWHCDdx"
    "fLxY7L16Me6spnF6O+0OIQFhHSOn9Vp5O9z4u/UMHI3GsV5GYkbLLP1VS/+T3K/NeQzqnZ"
    "QTyO3Zv32kwC44DHmRlf5C8LrBWEpbX2Pxtc6A9ui9PKVZnsHM3whpfCc/xaSaAhPXZzPk"
    "gIlH5+AaOZh9DzBnYS12wBzeouCjTUq0EIXf9AX+S7CD5gvKxeOaCP02+zVBX9X7ulBaZz"
    "NT3PMaIjPFHeytMcMd7FVOcLKq7PRQzVUk1GhxBRGzmouR09ZCstY6smIZKWQQqalX9+yw"
    "nFZv3pvZ2Klh4RcNdXHNqxlg88BuVy6UeQ2jjRNJmqS6nz0qT0hETuVL2jmJlUR3EcnqvK"
    "49+M3DXFBGmQEiqSQT1xewQcIkHZWfJ2EAEqBa/AcDaDJBNn+vROXitHzDBOsEwn/2F8VE"
    "kw23/eh3TYOVo+R7pobodpLomm+WthBhjgeFBshpnT6C3ESQ+VY8mg7GkXwP8d38AQjJ2q"
    "bPzfK6hp0ZdrYOO4tPYyrhZemTmqoZWXA0lBuKmQyFF0dwhLmpZ9WhOUXN3m1cbJ7qBKDp"
    "fq8tq9U/mJvIiwwcOE2UWz+KpTXCs/mXXh3EIXZLItQ/31xdliOcUslTHGxz8D/gYtZYiG"
    "/ww8QngVc/9rHLMWE78rL/aqqTrwBcQpShN4XTcPIH3+R4i2wgfxqOiQ2+EPZZXFB0OVRa"
    "q1aQvWsZWs9y7lf85r4e+Bk1g/6T8u9zA6FoiKZeU+2YCdbNq08P/ExivbgBcPnrxcWgpI"
    "cbVB9BNTOiK2B9ngjBCeWnlExwaYggqXy9KkYwpnKvO5brTJDgpUQInrh5XO37a56b+JQD"
    "EzsGbPPu5x10/RIfv9o3ihXa94yeJ7e3ER/IfKanutNvpxNUknYdHzTfhRA88rA9K1tdw5"
    "qVSytMZMyy2pdl9Q55TDP0mFLpYeyxkbPf5KDSQDgU7yG6jdAXcUVe+sHXagKTUjEURpPC"
    "POti9u3/knYBhA=="
)
