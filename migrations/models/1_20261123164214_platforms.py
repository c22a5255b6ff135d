from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "discord_activity_channels" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" VARCHAR(32) NOT NULL,
    "channel_id" VARCHAR(32) NOT NULL UNIQUE,
    "kind" VARCHAR(8) NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_discord_act_guild_i_8e069b" ON "discord_activity_channels" ("guild_id");
COMMENT ON TABLE "discord_activity_channels" IS 'Channels whose messages (text) or presence (voice) count as the game''s chat.';
        CREATE TABLE IF NOT EXISTS "discord_server_config" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "guild_id" VARCHAR(32) NOT NULL UNIQUE,
    "feed_channel_id" VARCHAR(32),
    "mod_role_id" VARCHAR(32),
    "prefix_commands" BOOL NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
        CREATE TABLE IF NOT EXISTS "platform_tokens" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "platform" VARCHAR(16) NOT NULL,
    "account_id" VARCHAR(128) NOT NULL,
    "account_name" VARCHAR(100) NOT NULL,
    "access_token" TEXT NOT NULL,
    "refresh_token" TEXT,
    "scopes" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ,
    "updated_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_platform_to_platfor_6c2652" UNIQUE ("platform", "account_id")
);
COMMENT ON TABLE "platform_tokens" IS 'OAuth tokens live in the database, not in files; listeners refresh them here.';
        CREATE TABLE IF NOT EXISTS "link_codes" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "code" VARCHAR(16) NOT NULL UNIQUE,
    "platform" VARCHAR(16) NOT NULL,
    "platform_user_id" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "used_at" TIMESTAMPTZ,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_link_codes_expires_c0dafa" ON "link_codes" ("expires_at");
COMMENT ON TABLE "link_codes" IS 'A one-time code from !link: joins the account that asked to the one that answers.';
-- kingpin: server-side defaults for raw SQL writers
ALTER TABLE "platform_tokens" ALTER COLUMN "updated_at" SET DEFAULT now(),
    ALTER COLUMN "account_name" SET DEFAULT '', ALTER COLUMN "scopes" SET DEFAULT '[]'::jsonb;
ALTER TABLE "discord_server_config" ALTER COLUMN "updated_at" SET DEFAULT now(),
    ALTER COLUMN "prefix_commands" SET DEFAULT true;
ALTER TABLE "discord_activity_channels" ALTER COLUMN "kind" SET DEFAULT 'text';
ALTER TABLE "link_codes" ALTER COLUMN "created_at" SET DEFAULT now();"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "discord_server_config";
        DROP TABLE IF EXISTS "platform_tokens";
        DROP TABLE IF EXISTS "discord_activity_channels";
        DROP TABLE IF EXISTS "link_codes";"""


MODELS_STATE = (
    "eJztXW1z2zYS/is4fakz43gc+fXSm5uRHSd161g5W7lmmutwIBKSEFGEQoC2NW3++wF8kf"
    "gCSKQsUhSNL4lM7oLksyDw7GKx/Ks1IRay6cEnG86Qe20hh2E2a70Ff7UcOEH8h0JiH7Tg"
    "dLo4Lw4w2Ld9lakva+BAGCP/LOxT5kKTcYEBtCnihyxETRdPGSaOUOs6CHBVNiDuBEDTJJ"
    "7DABkACIIG34KwxRnAFLBRTNqjyOVn94GDHvgvcU7c/4G4sEVMfmXsDEu8hufg7x4yGBki"
    "ftzlV/r6tRVpCoHotyFa4ci0/vyTH8WOhZ44PBlxISUaN8ZoFohOx8YAI9tK2Ia3w0/5xw"
    "02m/rHLvDw2mHvfVnx9H3DJLY3cRby0xkbEWeugB0mjg6Rg1zIkLgCcz1hH8ez7dCmkcmC"
    "B12IBE8Q07HQAHq2sLLQDm5gcaxlGLfdnnF/1TOMVqYHRBoxg4WHTOKI3sNvlfoADMUtvP"
    "5nu310dNY+PDo9Pzk+Ozs5Pzznsv79Zk+d/QhuZoFW0JSP2fWH69ueuCHCu2jQicWBH74O"
    "ZDDQ8g21QD9usKQNLkfQlVsg0SeSduAPmLZDhPoyQ0QHFpZYvF5VmGICnwwbOUM24n++OV"
    "2C8n87d5e/dO723py+SkJ9G55p+6cE6FmQ5y/OGmDHdZsIevs8D+rtczXs4lwS92gEKoJ3"
    "XKeJOB8e5sH58FCNszgnx9kf6dfAOtIrC+9Kh/Xy4TZdJOAwIMuC/Y6fYXiC5IAnNVNwW6"
    "HqQfRjFzs7f0Cr69iz0OpLwO9df7y673U+fhKXm1D63fbx6/SuxJm2f3SWOrqXHvXnjYDf"
    "r3u/APEn+KN7e+XDSygbuv4VF3K9P1rinqDHiOGQRwNasQ4aHY1QS75kU2tNqyc1tdXrYv"
    "UIo5jZw7tPDq1SxrCMIqupgoQn74J9K6PKwksZjKVMWYCaNcN74iI8dH5DM98U1/y+oWPK"
    "2EPog34Om9kxE/yI+lh0dDFqufBx7tbFux5/dv7EiAUkoHN/2Xl31fIR7kNz/Ahdy0hALc"
    "6QNkkdmctmT03ak/QR6MChD454CnHPcdQlEYHIGuo4gHigIr4/lyYO98pdQimAtj33vekB"
    "uIC26BwUmCPoDBEgfMgCkb8NHjEbcR/eRtaQ/+WSR4Xnv+krSPz+jF9v44E/ORiPCNpsZC"
    "DoOhxnLve19TQN/g9OaU+/pp6+doaqYecWpiIMZxTFOq23Ft5ht35BcIejTqGBZaFTHT06"
    "bMDgskCdj/mFEA/kNdrroW2jB2RnAVeiPZevDvA35QLefnN8dnx+dHo8x3l+ZBm8WSg5PW"
    "ceNRiWkXn14JxSq24ubH3ynHGrkuH5JM/ofKIenE+ygaoRMsfYMfg1ERwX6MBZxcYMHRvr"
    "yTakzIiAEsEbeVhIMULIlJdFhnaPeywBUwR2UmgywqBt+ATMX08t0Fllqrq7prvrI3ZoAV"
    "AjcQ1k5r3nbj8qAuVCQYOZBtMl/cLve0JHQyqDlHqmiShdC9qMroY4DfGE4wOHiBoUyeBd"
    "5ohlVBuDbtU+mTwiWsgY6ja0Vda0SsBrITNc5K8aFF8tVTSxgWXT3SHINV8lzS6O65QI9Y"
    "u4m4vjOiXiJVo9T0qEP0BThJy1RvZIUdu8LjZXvemZXAx16kB8jTmer5+iYqHu+9/ukA19"
    "dLMdQblVYMc6gyphI/EqDUXyJXpAQudZcH3gDV09oJ3MLsqFlEmIbZFHWQyrCE6XYTNNhQ"
    "l6FmYG7wfus9/Ajmjqhgx3lljnQYpBd4ie+/I1HCkbO2MuYj23Q93wdi75zya9e4Vy5haQ"
    "foNYsp4cgdl1UI/wf1ZD+mvYTkN6XcGkwsWkJ8ksTMyI6vTC1Ay8MslQ/ZB50vhi2Zkxv1"
    "dn7NUzY8/vFgGMGSuoUxWSWg3M2jvOk6dwrM5TOFbkkIlsZQaLdfi0po7brptPtg76cS2N"
    "/HrIx282A34PPSmgT6lVmBDVKpcVSKMlV196iUBJNJjsfex8eZUIltx0bz9E4rHB5/Kme5"
    "HORCOeaxbeMpnUal6OcDtXjnB7SY5we9c3TFZKdJoVMtQ75/TOubqZ4Lk75+74i3B3fdnb"
    "1ta5echS4uTGw5lqHzcRO92sh5t0acmEP4U1932C4FpYwmcgUrfTBWu041tLxzdtyLzkKK"
    "3XQOd380n62bekAOJS5QY4AylSenKSh5SenKhJqTiXxB09TTFnO2uQ0qRm80jpjpBQnZik"
    "fQ/te9SBS2jfo5lVO/zlRYnbES07ql2OaIFzddGOTlg0E5ie63IWY88AdoDQPwB3aEIekA"
    "WIA/r8ACAu6M/8opn+FDwD30g/W6RjIy2uXs3TvkstfRdh57Xm+4RiA6f7HZnec7E6l4+Q"
    "kKI1rJzU1Ny93laGVLYqpnaHFxqN84FLKxy6fZ78QmatAvnUWVK3ilFHOWMl8+mtmqocNv"
    "0shnwvCmRM+E3fI0qDx8mw5YzMUuZMI2mDBuLl56VpJltLJsswswuF3+cKjZv8SslK2Erp"
    "/Vonf2y+8r4og+nIamctWURaqDQQ4TLK7PPJ3l0vxp3U1E5vrd0hxCFcx8hxvUp20Wt/dz"
    "0DR29jv1hGYkJLT/2qqf9Z7tfmPAZ/T8oFZOboPx7ywc44DGmRpf5CsN2gL6SN73PxXLWy"
    "XfIoqlmLWtXsNZfGD+KTVX5TYGB7dIQsMHDJBNwhC9OfAWY0PIstMIFjFHzcyhfNROE3fY"
    "H/OdhCkylh/HF1hH6X/Zqgrxb7ClNcZzND3HYNkRjiTo9zjHCnx8oBTpySVVktOIuEGhXO"
    "IHxUszGyqppIcs0jS6aRTAaRP/QWrbGW0mrMvpmNVVcLv/xYFNe0mgY2Dexu5ULpbRhVVG"
    "4pk+p+comoJIks5SbtlMRSojuNZIts12797mLGKaPIABFUkvLrc9igQwUdFZ9xoQA6wG/x"
    "JwrQYIBM9tYXFZPT7DXlrBNw/9mbZhNNNtz2yu+/BjOH5LuvmujWkujqb7tWEGGevxQFQI"
    "7rNBHkMoLMY/5oRTCO5BuI7+YLICzmtuLcLK2r2ZlmZ3nY2bxqlYSXxStaqRlZUELLDsV0"
    "hsKLIzjc3MQ11qE5Wc3GLVxsnuoEoBX9rl1Sq3kwl5EXGThwBVGuvBRLZYRn85teLcQgti"
    "UR6l/vu7dyhGMqaYqDTQb+BjampYX4Wv8aeE7g1fc9bDPs0ANx2X+X1cmXAC4gStCbTDWc"
    "dOGbFG8RDaSr4ejY4Athn9kJpSiHimutFWSvW4bWVup+zXfuFwM/oabRf1b+fepFyBqirG"
    "2qNTNB3rz6+IufSKznNwBuP9/ctCQ9XKO6AtXEG62AdTsRggvCLokzwNIQweLk/rIYQZ+I"
    "te65XG2CBC8lQvDMxWO171+wbuJzCibWDNjy3c8HaHsSH1/tG80VqveMtpPbW4oPpD9npO"
    "70u+kESdKu54XmaxCCf4epSVyrE2bGXoY7XySzrUJy6dRrBTpGlHhrhDtrcmZOhNeg4HFE"
    "KALRhyvBHkNP7JWonDHlRkCcuYG9B4JN9Ar4uVci7UHkOIjK+j9RP/c3mzqx6cb1EkKNHa"
    "9lNGLoYd5SseX7uE5Z0dbtMYqjdg5CcdRW8glxSroJryDKSa3GEbfNw1z/DImWGF2rWZbJ"
    "k4Gizj85r9GGnXDqvUfuA3LV/rBMLNf0TH2NWjrJehp8WdNgo4fnAeIO2npToUS1eVvTN4"
    "84H/QMl9ioINopNY30aqS5szTAT0ZYf1v2nT7CAYWOKoMwo50Cvc/VyyIl0RhTbQDpotu9"
    "SQQoLq7T34z5/PHi6m7vjW8GLoSZYiVPh43U/V6HjUpgpPMPaUpoaPwjm2rumfykZ54irc"
    "RBr0UnBEIr2LT9D9HKW/CNYCcIykAziNGwERSBmjGyACP+Ga4dHnXoI3KprGhrCVfQdHhH"
    "6bAZ9uDcsYpQvnE0ePNJpHpTUoUgG8oCm6vBNtR1NhsBehmblHYri1FTsdVULE8ao/6Syx"
    "oOUJ2MLOHbWSt7622P8za6M65mcYWG2bcGtai3PUrXIRtWf7MlT95mTb/Z8imkjz0yRtJy"
    "1EmB/aUlNyIqyoRszlhBt+OxEQg0gI0fUFQfQ3h7fShUHMLEwQG2Ef3Zz04TXYQCFw34gD"
    "IS0hPAHXaUjRNsvPWVVTfCmIOuu1Gr4Wt/SfRAu7iVbEadvxYFYE5qNRHoMtzaCLXiW3+T"
    "enrzb77Nv6KeRjDnZdHuoSflvrikXiN69zIP4+pLL+FcZHKw5w7GTff2QySeTsxOgh9O0s"
    "XRzyg2Yd24avSpSaao0K7shUY9NmWL6zVmU3aNAls79GLsXOBD5w80LGhd8/yBDnKxOWrJ"
    "6j4FZ/aXVn1ayNQmUfWlONal7eZ8QG70abK8zkVMpRFMN1Ut/OQkh2fBpdT1wsW5lGfBX6"
    "oCCIfiDUS3FL+NX5EhWclwNXuNqeidswWJ6lYnsx//B3rmh3s="
)
