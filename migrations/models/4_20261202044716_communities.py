from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "communities" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "slug" VARCHAR(64) NOT NULL UNIQUE,
    "name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
        CREATE TABLE IF NOT EXISTS "community_channels" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "platform" VARCHAR(16) NOT NULL,
    "channel_id" VARCHAR(128) NOT NULL,
    "role" VARCHAR(8) NOT NULL,
    "label" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL REFERENCES "communities" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_community_c_platfor_70495b" UNIQUE ("platform", "channel_id")
);
CREATE INDEX IF NOT EXISTS "idx_community_c_communi_93cad8" ON "community_channels" ("community_id", "platform");
COMMENT ON TABLE "community_channels" IS 'A channel a community owns. ``channel_id`` is the platform''s id (Twitch broadcaster id,';
INSERT INTO "communities" ("id", "slug", "name", "created_at") VALUES (1, 'local', 'Local', now());
SELECT setval(pg_get_serial_sequence('communities', 'id'), 1);
ALTER TABLE "communities" ALTER COLUMN "name" SET DEFAULT '', ALTER COLUMN "created_at" SET DEFAULT now();
ALTER TABLE "community_channels" ALTER COLUMN "role" SET DEFAULT 'chat', ALTER COLUMN "label" SET DEFAULT '',
    ALTER COLUMN "created_at" SET DEFAULT now();
INSERT INTO "community_channels" ("community_id", "platform", "channel_id", "role", "label")
    VALUES (1, 'console', 'local', 'chat', 'local');
        ALTER TABLE "link_codes" DROP CONSTRAINT IF EXISTS "link_codes_code_key";
        DROP INDEX IF EXISTS "uid_link_codes_code_b5e0e7";
        ALTER TABLE "bot_config" DROP CONSTRAINT IF EXISTS "bot_config_key_key";
        DROP INDEX IF EXISTS "uid_bot_config_key_82bd68";
        DROP INDEX IF EXISTS "idx_audit_log_created_277f5d";
        ALTER TABLE "processed_events" DROP CONSTRAINT IF EXISTS "uid_processed_e_platfor_ddf2ce";
        ALTER TABLE "jail" DROP CONSTRAINT IF EXISTS "jail_user_id_key";
        DROP INDEX IF EXISTS "uid_jail_user_id_7987b0";
        ALTER TABLE "jail" DROP CONSTRAINT IF EXISTS "fk_jail_users_0b1dd53e";
        ALTER TABLE "cooldowns" DROP CONSTRAINT IF EXISTS "uid_cooldowns_user_id_c864dc";
        DROP INDEX IF EXISTS "idx_game_events_created_154aae";
        DROP INDEX IF EXISTS "idx_users_wealth_413f3d";
        DROP INDEX IF EXISTS "idx_users_lifetim_9eff3c";
        DROP INDEX IF EXISTS "idx_users_xp_586440";
        DROP INDEX IF EXISTS "idx_player_iden_usernam_766839";
        DROP INDEX IF EXISTS "idx_player_iden_platfor_140ddc";
        ALTER TABLE "player_identities" DROP CONSTRAINT IF EXISTS "uid_player_iden_platfor_20420c";
        ALTER TABLE "player_identities" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "player_identities" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "users" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "users" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "game_events" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "game_events" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "cooldowns" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "cooldowns" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "jail" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "jail" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "streaming_sessions" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "streaming_sessions" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "processed_events" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "processed_events" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "audit_log" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "audit_log" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "bot_config" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "bot_config" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "discord_activity_channels" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "discord_activity_channels" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "discord_server_config" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "discord_server_config" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "link_codes" ADD "community_id" BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE "link_codes" ALTER COLUMN "community_id" DROP DEFAULT;
        ALTER TABLE "player_identities" ADD CONSTRAINT "fk_player_i_communit_150441b3" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_player_iden_communi_916f1b" ON "player_identities" ("community_id", "platform", "platform_user_id");
        CREATE INDEX IF NOT EXISTS "idx_player_iden_communi_e35105" ON "player_identities" ("community_id", "platform", "username_key");
        CREATE INDEX IF NOT EXISTS "idx_player_iden_communi_03e2f1" ON "player_identities" ("community_id", "username_key");
        ALTER TABLE "users" ADD CONSTRAINT "fk_users_communit_e4216b2b" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        CREATE INDEX IF NOT EXISTS "idx_users_communi_b9e0ed" ON "users" ("community_id", "messages_sent");
        CREATE INDEX IF NOT EXISTS "idx_users_communi_3d746a" ON "users" ("community_id", "xp");
        CREATE INDEX IF NOT EXISTS "idx_users_communi_1ec581" ON "users" ("community_id", "lifetime_wealth_earned");
        ALTER TABLE "game_events" ADD CONSTRAINT "fk_game_eve_communit_0f0a6904" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        CREATE INDEX IF NOT EXISTS "idx_game_events_communi_a88cb7" ON "game_events" ("community_id", "created_at");
        ALTER TABLE "cooldowns" ADD CONSTRAINT "fk_cooldown_communit_509b01eb" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_cooldowns_communi_527717" ON "cooldowns" ("community_id", "user_id", "command_type", "target_identifier");
        ALTER TABLE "jail" ADD CONSTRAINT "fk_jail_users_0b1dd53e" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE;
        ALTER TABLE "jail" ADD CONSTRAINT "fk_jail_communit_a5c04fe7" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_jail_communi_ec1cd7" ON "jail" ("community_id", "user_id");
        ALTER TABLE "streaming_sessions" ADD CONSTRAINT "fk_streamin_communit_2193ffbc" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        ALTER TABLE "processed_events" ADD CONSTRAINT "fk_processe_communit_8dd888b4" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_processed_e_communi_18a48c" ON "processed_events" ("community_id", "platform", "event_id");
        ALTER TABLE "audit_log" ADD CONSTRAINT "fk_audit_lo_communit_85b5dcbd" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        CREATE INDEX IF NOT EXISTS "idx_audit_log_communi_6171f7" ON "audit_log" ("community_id", "created_at");
        ALTER TABLE "bot_config" ADD CONSTRAINT "fk_bot_conf_communit_b648f453" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_bot_config_communi_c59168" ON "bot_config" ("community_id", "key");
        ALTER TABLE "discord_activity_channels" ADD CONSTRAINT "fk_discord__communit_af54902c" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        ALTER TABLE "discord_server_config" ADD CONSTRAINT "fk_discord__communit_176b3960" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        ALTER TABLE "link_codes" ADD CONSTRAINT "fk_link_cod_communit_5ee72cb0" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_link_codes_communi_641e4b" ON "link_codes" ("community_id", "code");
        DROP INDEX IF EXISTS "uid_streaming_one_open";
        CREATE UNIQUE INDEX "uid_streaming_one_open" ON "streaming_sessions" ("community_id")
            WHERE "ended_at" IS NULL;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "discord_activity_channels" DROP CONSTRAINT IF EXISTS "fk_discord__communit_af54902c";
        ALTER TABLE "discord_server_config" DROP CONSTRAINT IF EXISTS "fk_discord__communit_176b3960";
        ALTER TABLE "streaming_sessions" DROP CONSTRAINT IF EXISTS "fk_streamin_communit_2193ffbc";
        DROP INDEX IF EXISTS "uid_processed_e_communi_18a48c";
        ALTER TABLE "processed_events" DROP CONSTRAINT IF EXISTS "fk_processe_communit_8dd888b4";
        DROP INDEX IF EXISTS "idx_player_iden_communi_03e2f1";
        DROP INDEX IF EXISTS "idx_player_iden_communi_e35105";
        DROP INDEX IF EXISTS "uid_player_iden_communi_916f1b";
        ALTER TABLE "player_identities" DROP CONSTRAINT IF EXISTS "fk_player_i_communit_150441b3";
        DROP INDEX IF EXISTS "idx_game_events_communi_a88cb7";
        ALTER TABLE "game_events" DROP CONSTRAINT IF EXISTS "fk_game_eve_communit_0f0a6904";
        DROP INDEX IF EXISTS "uid_bot_config_communi_c59168";
        ALTER TABLE "bot_config" DROP CONSTRAINT IF EXISTS "fk_bot_conf_communit_b648f453";
        DROP INDEX IF EXISTS "uid_link_codes_communi_641e4b";
        ALTER TABLE "link_codes" DROP CONSTRAINT IF EXISTS "fk_link_cod_communit_5ee72cb0";
        DROP INDEX IF EXISTS "uid_cooldowns_communi_527717";
        ALTER TABLE "cooldowns" DROP CONSTRAINT IF EXISTS "fk_cooldown_communit_509b01eb";
        DROP INDEX IF EXISTS "idx_audit_log_communi_6171f7";
        ALTER TABLE "audit_log" DROP CONSTRAINT IF EXISTS "fk_audit_lo_communit_85b5dcbd";
        DROP INDEX IF EXISTS "idx_users_communi_1ec581";
        DROP INDEX IF EXISTS "idx_users_communi_3d746a";
        DROP INDEX IF EXISTS "idx_users_communi_b9e0ed";
        ALTER TABLE "users" DROP CONSTRAINT IF EXISTS "fk_users_communit_e4216b2b";
        DROP INDEX IF EXISTS "uid_jail_communi_ec1cd7";
        ALTER TABLE "jail" DROP CONSTRAINT IF EXISTS "fk_jail_communit_a5c04fe7";
        ALTER TABLE "jail" DROP CONSTRAINT IF EXISTS "fk_jail_users_0b1dd53e";
        ALTER TABLE "jail" DROP COLUMN "community_id";
        ALTER TABLE "users" DROP COLUMN "community_id";
        ALTER TABLE "audit_log" DROP COLUMN "community_id";
        ALTER TABLE "cooldowns" DROP COLUMN "community_id";
        ALTER TABLE "link_codes" DROP COLUMN "community_id";
        ALTER TABLE "bot_config" DROP COLUMN "community_id";
        ALTER TABLE "game_events" DROP COLUMN "community_id";
        ALTER TABLE "player_identities" DROP COLUMN "community_id";
        ALTER TABLE "processed_events" DROP COLUMN "community_id";
        ALTER TABLE "streaming_sessions" DROP COLUMN "community_id";
        ALTER TABLE "discord_server_config" DROP COLUMN "community_id";
        ALTER TABLE "discord_activity_channels" DROP COLUMN "community_id";
        DROP TABLE IF EXISTS "communities";
        DROP TABLE IF EXISTS "community_channels";
        ALTER TABLE "jail" ADD CONSTRAINT "fk_jail_users_0b1dd53e" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE;
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_jail_user_id_7987b0" ON "jail" ("user_id");
        CREATE INDEX IF NOT EXISTS "idx_users_xp_586440" ON "users" ("xp");
        CREATE INDEX IF NOT EXISTS "idx_users_lifetim_9eff3c" ON "users" ("lifetime_wealth_earned");
        CREATE INDEX IF NOT EXISTS "idx_users_wealth_413f3d" ON "users" ("wealth");
        CREATE INDEX IF NOT EXISTS "idx_audit_log_created_277f5d" ON "audit_log" ("created_at");
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_cooldowns_user_id_c864dc" ON "cooldowns" ("user_id", "command_type", "target_identifier");
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_link_codes_code_b5e0e7" ON "link_codes" ("code");
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_bot_config_key_82bd68" ON "bot_config" ("key");
        CREATE INDEX IF NOT EXISTS "idx_game_events_created_154aae" ON "game_events" ("created_at");
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_player_iden_platfor_20420c" ON "player_identities" ("platform", "platform_user_id");
        CREATE INDEX IF NOT EXISTS "idx_player_iden_platfor_140ddc" ON "player_identities" ("platform", "username_key");
        CREATE INDEX IF NOT EXISTS "idx_player_iden_usernam_766839" ON "player_identities" ("username_key");
        CREATE UNIQUE INDEX IF NOT EXISTS "uid_processed_e_platfor_ddf2ce" ON "processed_events" ("platform", "event_id");"""


MODELS_STATE = (
    "eJztXW1z2zYS/is4fakzo3hixXZy6c3NyI7bunXsnK1eO007DERCEioKUAnQtqaX/34AXy"
    "S+m6RFCmLwyTK4C5IPQGCfxWLxd29BLWSzw3O6WLgE81XvHfi7R+ACiR/pi33Qg8vl5pIs"
    "4HBse9JmIIaRVw7HjDvQ5OLSBNoMiSILMdPBS44pEaXEtW1ZSE0hiMl0UyRq+ctFBqdTxG"
    "fIERc+/SGKMbHQo6g8+Hc5NyYY2VbskbEl7+2VG3y19MrO8PSS8O88WXnDsWFS212Qjfxy"
    "xWeUrBUw4bJ0ighyIEfyDtxx5RvIBwzeN3wp/2E3Iv5TRnQsNIGuzSNvPDY2ZT3DuL4ZGX"
    "cXI8PoVcDIpETiKx6VeQBM5SO8/Odg8Pr1m8Gr16dvT47fvDl5++qtkPWeN33pzRf/YTZo"
    "+VV5mF1+f3k9kg9ERSP6DSwLvng6kENfy2uMDfrMdqdp/M9n0MlGP5RP4C9eLIl/iLa6Db"
    "CAj4aNyJTPxL+nxwXY/nd4e/7D8Pbg9PhFHODr4MrAuySh3kDr/a0AbSi/HWjDgg22m296"
    "DWSvFWgHr16VwFZI5YLrXYujazpIomFAnsb4vbjC8QJl4xzXTKBtBaqH4Y+msG+yY4sXtG"
    "6IvQo+qALwR5cfLu5Gww8f5e0WjP1le/gNRxfyysArXSVKD04T7bSuBPxyOfoByH/BbzfX"
    "Fx68lPGp491xIzf6rSefCbqcGoQ+GNCKfPthaYjaFzlzTOaR0UsWjKE5f4COZcSuRLrHDB"
    "ISzHeJuSXQ/O6nW2RDD9t0N0jOo+d+dXvYGb6E3T8sDTuFRJEOaB6u6UuLwSJZAgmceq8k"
    "7y3vlIdbkY0SwfZpU2VlRFv2SYulNwSBPIBgXQegD4Qdgs+fg2sGtj5/BpgBYbuApegUE+"
    "osvmEAW+Bg9IC5OQNjh0LLhIwjRxT3ewnsm7rP7+QnbM5l3dyhdCGLwHvMTOpYYOpi25K6"
    "ohavxqCAM2RPgCiD62cKhMQlMEHIApBYv5N7ik0UirC+V4XsJtRG4plCVdlqL74V7+CIcv"
    "/p5dP0/YpEpV41h71sI/BTL3xNKbCBofdHwjz8FGnhwMILFf/QpqOSpmO0ZcvaOFGd9uyc"
    "1ozIo9MShs5Rcv7c2DnyUsLM2XwyFWCOa3UR6MHbMkgP3uZDLa/FsZYjXBWUQ/kWDXY59L"
    "ZjtJfBNx/dFLbitf0pviy4awVNhzQd0nRoQ4dirZ6wmcqbQilr60mjaB9aujW7KMVJM9ok"
    "3SDfUQfhKfkJrbxGuRQPD4mZNYdk+XH3rDHyiKcoduDD2ppP9USBgnh3xP35YXh3Pnx/0f"
    "uSz/mb5LEfbbhCzqWFCM/xtCck+kUcdunJitf0hMs63Xs3ZEMWATRN6hIO6ETQO7/CdyCo"
    "cZWklsBlPo0EBN0jnyTK5z9M0deG7pHJCHOJXuS3IWutyBPl/YSWvLkxR6ue0ExLxyU0s9"
    "TMUtXxs2lmmfrUaoAd1e0i6E2wzHAEqoJ3VKeLOJdiREcFjOgozYhiI30NrEM9jXc5vDUD"
    "zUe/uwzUXVo1Wz2uqVtdlVYPMYo0e/D02u+ggNUcn+Aq459vsGnoi6HXLp+WXT7Jvr4FcH"
    "8OqukorpGPWyUvmod6hu8sbI18j5l8oSpeMiFNCYCmQxkD0LbXXip2CM6gLTuHH9kwRYCK"
    "mRmEninwgPkMQGAjayr+c+hDjo9s23d4OnA27cOy8cSziYwHBG0+MxB0iMA909/1uMwuXy"
    "DGRGsxgyHRnbQjTE1HmPYVtMNdLcykn9uoinVSrxbeQbf+iuD2x61qA8tGpz279VUHBpcN"
    "6mIqqIS4L6/Rroe2je6zAl5y0V7Ltwf4UbOAD46O3xy/fX16vMZ5XVIEbxpKYdVzlxkcZ3"
    "GAgq0qcbUW44g+umTea2V4PikzOp/kD84naTfuDJlzTAxxTwTnFTpwWrEzQ8fWerINGTdC"
    "oKRrM9tpmhcRl6Fc5DfdP9ujAEzp9kygySmHtuEZYF7AQoXOmqWqu2uyuz5gkrGBJt9EC8"
    "Q1kKnvnjKGqkC5UdBgJsF06Ljy9x7T0ZBmQcpc00SM1YI2pashTkIcd7il4C0iYinVzqDb"
    "NifLdpxWaoz8OnSr1GwV366F3HCQt9hQPZYgp4otBBXsj4GseAxBxuYFHTDUsdARHTD0Nb"
    "Z6mYAhb4BmCJFaI3uoqNtclTbXm9MUNq50pJIym9OigRTRXV+Jb6FCSpr0hrOOQB8bO6Yy"
    "AB/dI6nzLLi+FxVd3KO9HDFKIWVSalsyz8zzcDoPqukqTH9CnLEaWwWhH4MauogOdC3MDf"
    "GVOM8en4ayqis63VtuXQYpDp0peu7Q1HGkbEzmQsR6boe6EvWci59d+vaajLbdzHgZIbex"
    "6TA/7jYx/TaaGPZTNGw54tnJDFuNXtcxq0rGrHrdxocx1Qr5wTpxrQ7GrR6XidQ5zo/UOc"
    "6JopR8hMNqHT6pqVcu6kZU1kE/qqWRr4d89GFT4I/QYw70CbUOpBYr8hde/DqKuQrDweTg"
    "w/DXFzF34dXN9feheGTwOb+6OUvGYlLXMSvvqY9rdS9KXqd0017zmJz2mu/19KK3VusFC7"
    "UaQ2+t3i2ueVurb8V4f3t5PtrV3uq13z4zw/7Gp1+UWT+ygLBdT092+r3QlSMuQWKtOb/v"
    "Uw2yI07kpp1k7j/t8FHS4ZNsyLKkIKnXQafP9rdnpb+SCohnKneABCfI2MlJGTJ2cpJPxu"
    "S1OO7ocYmFkV+DjMU12yFjbQ5Ce8K9dEiqptyacqtmVWjKrSm3qo2hKbealHvH2cy8OLAM"
    "th3Gh+Uz7TAGrcypdX7afWC6jiOMdXsFMAFS/xDcogW9l0evETAWBfIItvHKS7vvWZor8C"
    "cdp5OXbaXGShRfs3dlBvt+AXuXXaCWxRtT7KDBuycGbile44jBEzJUo5Xjmpq9qt3KkGXF"
    "QxScYLfW6JwXqJkc95opaqb4lUGvmaJmiorjqihTvJOZ8BbiBe8QY/6rp1hjSqZfxCBZKG"
    "0wX7z58HxN25SkbRxzu9Jq61qhc5ZeI8GXOzmCTukY18bONq8CcUSlgwg3cdycMA2cekua"
    "cU3t4VGa+yMBYZ1Gjuq1ki5LO3fqNXD4NY6rbbyIaempv9S+C+3k0Z4GRRujrbw1TdJib/"
    "/5GeTm7D8u8kBNseKkSL+IFPtbh8dS2vhrLV7qwCiHPsgjneSBTfylkMb38oRzryowsV02"
    "QxaYOHQBbpGF2bcAcxZcxRZYwDnyz0L3RFNLrtu+we8EW2ixpFy8bsmzozR5V5K8+3212p"
    "HbUZ3tzOO7bYjYPH56XGIaPz3OncXlpawzQyqaSoFGi2aSGNVsjMKHadxaKmUsFdhKqaho"
    "b+itmjE8odWZPfBbyxXuh+pUxjWppoFNArtf8d2tjsfdCu9OUYndmLofHSrPRUBWbkKmhE"
    "ShobsMZaukZur94mAuTEYZ7idNSSbuL2CDhElzVJ5lygAkwKvxGwbQZIJM/s4TlZPT6iUT"
    "ViewkOUu01GFW667VHxh1MvuzyQ62HBfDN+drKqoxuGbXlZZfxQVQI7qdBHkJlZW5uLVqm"
    "AcyncQ3+0nN9vMddVttaSuttYUt9biQaySEWcw9/ysXhGVLiwKFzVmEym9duKNUgzzpt1R"
    "ek1Jrymp2hhdWFNa59LOoNjRPNv55NpP7G0HYs0mPNZZjZUcK/oFzFV0BuoYdfhrWrNzYR"
    "jb57A+aN5/laEOtboHcxNbmnxPXUWUW8+f25rpt/2MTRbiENsZhObHu5vrbIQjKknuik0O"
    "/gdszBoz+3r/mrjEd9+OXWxzTNihvO2/m+rkBYBLiIr5TpLa9OOEVFaQ5Dv7tQjU7rfQXb"
    "+CPzdUNaKiWrWYl2o8dyc7NjX7VaAR1sn/qrVATE1/Atr3oLDvITXebwHdkltnFevkZXGN"
    "zm8xTMUDgOufr656GWOIRvUJVGNjZg6su/GTnVF+TskEZzrKNhf7RZ6yMZXBe2u5hjNGyz"
    "NDnhXd8bU4yJ4ZJJfv+qp41stzDnlRbXpqwf9yD203w8mV7xxYK7TvGtjNomcjTgB3adV0"
    "AsQ1tRNAFSdAxi7KjMOSNRHVVEjNxujCMux7zEzqWMNgo9t5kK0hw9bMkSw0PC1fxwj30R"
    "lBNoiSgdDBPRh4mFGGwAIxJt6CgQOOHvkLmfV0KUYaJDoYOLin2EQvgLeVQkYxy5BleSju"
    "N8zbypeOhN525Xpvn8KjWZG1PHWxqKlaNFVUpym7eXeb+14PSljNrwe5RrO8lJk4piLKca"
    "3O7aHcPszqBzj35Oja1LpkHN4yAeT54eOp4HFtiWpLVNXG6JAleoece+TkuzyzxErZoMzT"
    "aMwPqm09VcYL9W29TtsgE4Qso569l6Hava0K20dcDHqGQ21UEe2Emkb6aaSXDprgRyM4Bz"
    "MjQvCMCkAhydvlltJOgD4W6k2ZH+EY0+5SwNnNzVXM1Xx2mdzg9POHs4vbgyOvGYQQ5rGx"
    "XC8A6AUATbs07VKxMbpAu64wmZ+Ln70MrrW+1i8iWLaQEhhYqKRXfwgoQS/lSAuklp9N7x"
    "+ylnfgT4qJ716Hpu9t5zMoXe5zZAFOvStCOygl7AE5LOvotAbuUCr2Rd5OpzZRZxDrF3BB"
    "M+jZpb3RgXwX42S2vh1M541pEWQj94Clp8E28s9Z6gToTeSR0fuR8tHfTyZSZj+Sd7QqYn"
    "VS9sc0u5fcZk8aOYNuplvZrZfByN1q8iLF3Gpdat8lIpY8jquWgZKh2z23aQN2SoBbHTMl"
    "rdpBxJswUkLkqqZkSOp1EO4mdgWEsNVIfhfT1LOHyrOH9kYrsC9aHyesFwLUaozmNkXr44"
    "TL4KroccIfA54wonNEelm55GMC/cJU8qG/jkvZkkstN0OXz4CvAWx8j8K879IpPoZShVAu"
    "CyfYRuxbby+i7CIMOGgi5s2ZlF6AGXJQepll67VnLrFEyVawZKPzxys1QfQLFln0OkAruf"
    "fWn0UFmONaXQS6CVodolY902FcT+c6LJfrUOaF9+e8NNr5CcaTep3o3UVEuok048EkXR39"
    "lGIXfEhto89MuszKqp+fZ2KjoUYOSnm/zuSgVGj1b48+jH3z7+kY4/zZfj9X9vNijFNerd"
    "24CIbIweasl5UE37/SL0yBv5FRZjPb10KsG8vedY8cVjHBd0SlE5Zu4hTck5MSzEJI5Z+D"
    "K68lmIX4qCogHIh3EN1GeJu4I0dZR+HmW68RFZ0nraKhutPJ7Mv/AWItiVc="
)
