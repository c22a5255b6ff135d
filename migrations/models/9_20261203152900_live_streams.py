from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "heist_grab_phrases" (
    "key" VARCHAR(64) NOT NULL PRIMARY KEY,
    "text" VARCHAR(200) NOT NULL
);
        CREATE TABLE IF NOT EXISTS "heist_riddles" (
    "key" VARCHAR(64) NOT NULL PRIMARY KEY,
    "question" TEXT NOT NULL,
    "answer" VARCHAR(200) NOT NULL,
    "also" JSONB NOT NULL
);
        CREATE TABLE IF NOT EXISTS "heist_scramble_words" (
    "key" VARCHAR(64) NOT NULL PRIMARY KEY,
    "word" VARCHAR(64) NOT NULL
);
        CREATE TABLE IF NOT EXISTS "heist_trivia" (
    "key" VARCHAR(64) NOT NULL PRIMARY KEY,
    "question" TEXT NOT NULL,
    "answer" VARCHAR(200) NOT NULL,
    "also" JSONB NOT NULL
);
        CREATE TABLE IF NOT EXISTS "monetization_events" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "platform" VARCHAR(16) NOT NULL,
    "event_id" VARCHAR(128) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "platform_user_id" VARCHAR(128),
    "username" VARCHAR(200) NOT NULL,
    "quantity" BIGINT NOT NULL,
    "tier" SMALLINT,
    "usd" DECIMAL(14,2) NOT NULL,
    "wealth" BIGINT NOT NULL,
    "xp" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "credited_at" TIMESTAMPTZ,
    "community_id" BIGINT NOT NULL,
    "session_id" BIGINT REFERENCES "streaming_sessions" ("id") ON DELETE SET NULL,
    "user_id" BIGINT REFERENCES "users" ("id") ON DELETE SET NULL,
    CONSTRAINT "uid_monetizatio_communi_51cf16" UNIQUE ("community_id", "platform", "event_id")
);
CREATE INDEX IF NOT EXISTS "idx_monetizatio_communi_60eb97" ON "monetization_events" ("community_id", "platform", "credited_at");
COMMENT ON TABLE "monetization_events" IS 'One support event as the platform sent it (a sub, a gift of n subs, bits, kicks, a';
        CREATE TABLE IF NOT EXISTS "redemption_mappings" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "platform" VARCHAR(16) NOT NULL,
    "reward" VARCHAR(200) NOT NULL,
    "command" VARCHAR(32) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    CONSTRAINT "uid_redemption__communi_473305" UNIQUE ("community_id", "platform", "reward")
);
COMMENT ON TABLE "redemption_mappings" IS '``economy.live_mode = channel_points``: a Twitch channel-point reward or Kick reward';
        CREATE TABLE IF NOT EXISTS "reward_config" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(32) NOT NULL,
    "wealth" BIGINT NOT NULL,
    "xp" BIGINT NOT NULL,
    "crate_tier" VARCHAR(20),
    "updated_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    CONSTRAINT "uid_reward_conf_communi_bbb017" UNIQUE ("community_id", "kind")
);
COMMENT ON TABLE "reward_config" IS 'A community''s reward for one kind of support (``sub_t1``, ``gift_sub``, ``bits_100``,';
        CREATE TABLE IF NOT EXISTS "session_contributions" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "usd" DECIMAL(14,2) NOT NULL,
    "events" INT NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "session_id" BIGINT NOT NULL REFERENCES "streaming_sessions" ("id") ON DELETE CASCADE,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_session_con_communi_6095c8" UNIQUE ("community_id", "session_id", "user_id")
);
COMMENT ON TABLE "session_contributions" IS 'A supporter''s total in one session, in USD (GAME.md''s rates).';
        CREATE TABLE IF NOT EXISTS "heist_events" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "content_key" VARCHAR(64) NOT NULL,
    "prompt" TEXT NOT NULL,
    "answer" VARCHAR(200) NOT NULL,
    "accepted" JSONB NOT NULL,
    "started_by" VARCHAR(200) NOT NULL,
    "started_at" TIMESTAMPTZ NOT NULL,
    "ends_at" TIMESTAMPTZ NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "winner_name" VARCHAR(200),
    "winner_platform" VARCHAR(16),
    "winner_received_at" TIMESTAMPTZ,
    "grace_s" INT NOT NULL,
    "candidates" INT NOT NULL,
    "grace_ends_at" TIMESTAMPTZ,
    "crate_tier" VARCHAR(20),
    "resolved_at" TIMESTAMPTZ,
    "announced_at" TIMESTAMPTZ,
    "result_announced_at" TIMESTAMPTZ,
    "community_id" BIGINT NOT NULL,
    "session_id" BIGINT REFERENCES "streaming_sessions" ("id") ON DELETE SET NULL,
    "winner_id" BIGINT REFERENCES "users" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "idx_heist_event_status_c4159b" ON "heist_events" ("status", "ends_at");
CREATE INDEX IF NOT EXISTS "idx_heist_event_communi_65031a" ON "heist_events" ("community_id", "status");
CREATE INDEX IF NOT EXISTS "idx_heist_event_communi_8d2cb3" ON "heist_events" ("community_id", "started_at");
        CREATE TABLE IF NOT EXISTS "heist_recent_events" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "content_key" VARCHAR(64) NOT NULL,
    "used_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_heist_recen_communi_bab61a" ON "heist_recent_events" ("community_id", "kind", "used_at");
COMMENT ON TABLE "heist_recent_events" IS 'Content used by the community''s recent heists of a type (kept: the last 10).';
        CREATE TABLE IF NOT EXISTS "heist_schedule" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "next_at" TIMESTAMPTZ,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "session_id" BIGINT REFERENCES "streaming_sessions" ("id") ON DELETE SET NULL,
    CONSTRAINT "uid_heist_sched_communi_877879" UNIQUE ("community_id")
);
CREATE INDEX IF NOT EXISTS "idx_heist_sched_next_at_bdfc4c" ON "heist_schedule" ("next_at");
COMMENT ON TABLE "heist_schedule" IS 'When the community''s next heist is due (null: none, while one runs or offline).';
        ALTER TABLE "streaming_sessions" ADD "juicernaut_id" BIGINT;
        ALTER TABLE "streaming_sessions" ADD "total_usd" DECIMAL(14,2) NOT NULL DEFAULT 0;
        ALTER TABLE "streaming_sessions" ADD "summary" TEXT;
        ALTER TABLE "streaming_sessions" ADD "juicernaut_usd" DECIMAL(14,2) NOT NULL DEFAULT 0;
        ALTER TABLE "streaming_sessions" ADD "reward_wealth" BIGINT;
        ALTER TABLE "streaming_sessions" ADD CONSTRAINT "fk_streamin_users_5676ae9d" FOREIGN KEY ("juicernaut_id") REFERENCES "users" ("id") ON DELETE SET NULL;
        CREATE INDEX IF NOT EXISTS "idx_streaming_s_communi_f3bde5" ON "streaming_sessions" ("community_id", "ended_at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_streaming_s_communi_f3bde5";
        ALTER TABLE "streaming_sessions" DROP CONSTRAINT IF EXISTS "fk_streamin_users_5676ae9d";
        ALTER TABLE "streaming_sessions" DROP COLUMN "juicernaut_id";
        ALTER TABLE "streaming_sessions" DROP COLUMN "total_usd";
        ALTER TABLE "streaming_sessions" DROP COLUMN "summary";
        ALTER TABLE "streaming_sessions" DROP COLUMN "juicernaut_usd";
        ALTER TABLE "streaming_sessions" DROP COLUMN "reward_wealth";
        DROP TABLE IF EXISTS "heist_grab_phrases";
        DROP TABLE IF EXISTS "heist_events";
        DROP TABLE IF EXISTS "heist_recent_events";
        DROP TABLE IF EXISTS "session_contributions";
        DROP TABLE IF EXISTS "heist_schedule";
        DROP TABLE IF EXISTS "redemption_mappings";
        DROP TABLE IF EXISTS "monetization_events";
        DROP TABLE IF EXISTS "heist_trivia";
        DROP TABLE IF EXISTS "reward_config";
        DROP TABLE IF EXISTS "heist_scramble_words";
        DROP TABLE IF EXISTS "heist_riddles";"""


MODELS_STATE = (
    "eJztXW13nDiW/iua+tL2ObQ7dmwnm97dcxwnk86ME/cm7p0+25lDqUDlok2hagR2amf7v6"
    "8koIoXgQEDpSL3w/TEoCuoR0K6L4/u/ddkSW3isqNLulyGnhOsJ6/QvyYeXhL+j+JNA03w"
    "arW9JS4EeObK1lbczCHyOp6xwMdWwG/NscsIv2QTZvnOKnCox696oeuKi9TiDR3vdnuJ9/"
    "JHSMyA3pJgQXx+47d/8suOZ5OvvPP4z9WdOXeIa2de2bHFs+V1M1iv5LXXzu17L/irbCse"
    "ODMt6oZLb9t+tQ4W1NsIOF4grt4Sj/g4IOIJgR+KXyBeMP69yY+KXnbbJHrLlIxN5jh0g9"
    "QvnpnbaxPT/Hh9Y35+e2OakwYYWdQT+PJXZRKAW/EK3//bycnz5y9Onj0/f3l2+uLF2ctn"
    "L3lb+b7FWy/+jF5mi1bUlcTs/bv3H2/EC1E+iNEAiwt/Shkc4EhKDsYWfeaGt0X8LxfYV6"
    "OftM/hz39YHv8EbX0HYIm/mi7xboMF//P8tALb/774dPnTxaeD89PDLMAf4zsn8paAegut"
    "/P8G0Cbtu4E2ubDFdvtNb4CcDALtybNnNbDlrUrBlfey6Fo+EWiYOChi/IbfCZwlUeOclc"
    "yhbceiR8k/+sK+z4nNf6B97bnr+IOqAP/m/Ye3n28uPvwsHrdk7A9X4ndx81bcOZFX17mr"
    "B+e5cdp0gv7x/uYnJP5E/3P98a2El7Lg1pdP3La7+Z+JeCccBtT06IOJ7dS3n1xNUPtT7B"
    "zzu9TqJS7MsHX3gH3bzNxJTY8F9rx4v8vtLbHkX//+ibhYYlucBvl99DLqbg8nw5/J9E+u"
    "JpNCoEhPaBmuxVvLk2X+CvbwrfxJ4tniSWW4VekoKWwfV1XWZnpkH9VYJhcobo8w2vSB6I"
    "PHjtB0Gt8zHXs6RQ5DDwscIK7AoBWfGXPqL79jiNwTDiWysO+vEWbitiNX5DT2fT3ni5d0"
    "e3Dz4ATWAs18im0Ls4D4KGT8P45toL871p3qDuIyC/kgx5Y9Itfh9/kE/uKxcCaQmhGGHI"
    "+/I5/AxOWvd5C8E/vhjnf7Q4L30Wp9aKA3DrOob6Pb0HFt8QTeUnYsL3zhv5oRd474RbxB"
    "JG7Fb6E5ITbCno3uqWORpAUzZBdijlKXcCwSSTFlDn/84k2nPr8RYcfvBUbUEe9U9nM0Ua"
    "ugv02S3yIabAdh8s+ccvpban7F+mUi+E9QXLVUXNMjW1fDSssMp2UNpsIen9dQs47zu/dW"
    "yxK3ckrW9pNpAHNWaoxAn7ysg/TJy3Koxb0s1mKFa4Jy0n5Ac0EsvcOYDHXwLUe3gK3c25"
    "qAuxEAYwyMMTDGtsZYZtRzOlN9VaigbT2qFO3DSA+mFxUsYsWYFAfkr9Qnzq33d7KWg/Ke"
    "vzz2LNUeovIi79lglJm9/LKPHzbafGEmchT4bydBtD9cfL68ePN28me5x6FPK/pnF6+J/9"
    "7mdmGJnz/XwqiyoFeyLf+ZsnFdl//k2ttaqQhbFg29ANE5N++iDl+huMe1MM7SNu3WPPW4"
    "bRtZieL9jwrGc0/PUFqEpYZe6t+m6LWenShaigead2QNdqMm66MBduNu7cbCh9QC7LTsGE"
    "Hvw4ZMVqMmeKdlxohzLXvnuMLeOS7aO/lVvynWm90C8K6FN9iX5eiP174MV3bLUc9Kwqjr"
    "MuoJRqlhj98evAoaaM3ZDa4x/uUKG0BfDT04dAZ26OTnegfg/hJ3M1JcUx+3Tj4yibrCM5"
    "aMRrk/TPygJj4w3pp6CFs+ZQxh1934oNgReo1dMTki4sItQZTvzCjxO0UkDIxcYt/yv3z6"
    "UOIB6/oJj5Nyi/4s15lLnch8INgNFibBvsdx53LFtl9X6utLwhgfLWYywqcTOML0dISBr2"
    "AY29V2mPBim02xzsu1wjue1t8Q3NG61Wxh2coMp7c+G8HiskWdbwWNEI/aA9rt0HbJvYrO"
    "Uor2pv1wgB/3C/jJ8emL05fPz083OG+uVMFbhJJr9UHIzMBR2QAVx2CyYgOyhH4OvbvJIM"
    "vzWZ3V+ax8cT4runEXxLpzPJM/k+C7BhO4KDiapaOzmexiFpgJUMK1qXaalvHdFMJVftP9"
    "0z0qwBRuzxyaAQ2wa0oFTNIRGkxWlShM1/x0fXA8xeGcchUtbg5AFr57yhhpAuVWAMDMg+"
    "nTWePvPSMDkKogZaFlEcZaQVuQBYjzEGcdbgV4qwyxguho0B3aJlM7ThsNRnkfMCotRyXS"
    "a3Fg+kQGG5pzCUq66IBUsD8KsuYcAsXRBCAMjYw6AoShb3HU6xCG5ALNCPFareyJIIy5Lm"
    "MOR880Vq6AqaTN0bM0kSJ9piv3LTRId1M8TjYS6DNrx60g4EfZVp4G1zve0dt7spcrRi2k"
    "LEpdW+SweRpOl3E3Y4Xpd+woorFNEPpb3MMY0cGh7QQm/0r8J69PF6KrK3q7t7Z1HaQC7N"
    "+Spy5NI0fKdbw73sR+6oS64v1c8n+O6dvrk2273fEUlNvMdljOu81tv70mnf0tTVtOeXaU"
    "tNX0feCsaslZldMmgrEwCuVknazUCHmrp3WYOqflTJ3TEhalsEcC3GzC5yUhctGWUdkG/b"
    "QUIN8O+fTLFsC/IV9LoM+JjSBxWJW/8O2vNxlXYbKYHHy4+PUw4y68uv74LmmeWnwur65f"
    "57mYNPStxmfqs1LjY8lDwjbwmmfagdd8r7cXOFoNAQu9BkPlSkheAM5WDxAJKjtb/Ykv+J"
    "/eX97s6nD1xnGvTN+/depXpe1PRRC6dfWoc/Elvhx+C3v2xuiPnKpx8sO5OLWTT+0HHh8t"
    "PT75gaxrFeTlRuj16f58VvEraYC4UngEVnDOGjs7q2ONnZ2VW2PiXhZ38nXlcC2/hTWWlR"
    "zGGhtyEdoT4ws4qWBzg82tm1YBNjfY3LoOBtjcAwK7R/nMJBNMYW4nDLFyUzthodWpiRel"
    "1UdW6PtcW3fXogKckD9Cn8iS3ovSah6a8QuixNpsLdPqS1VzjX6ns2L6sk56bGTjg/muzW"
    "pvVJjvYgq0UnkzgiPUePdEw61l2Ph88cSMtBjlrCSYr3qPMmYqRkRFhbqNxOjcQP1kuQdT"
    "EUzFbwx6MBXBVNQJ2D0yFT9Qj6tF/yuPOJSS8ouNjCojcplq3oSkLxNYs3C1on4QVTKPS5"
    "hvK7WJBDPICdAB5g1nBsLo1pnLMm+euMAMNHMC/l9RdJz/Hy4Ymd0/4ovHh90W7Wzqyd98"
    "aES5tGWBdt7Tit8XBdzFFIjKj4tB4Le5dRKVPXdE2Tl+/Y7rTV6Ulnu2/uJhlORKRh6dUV"
    "saxFGR86Q4/IK//prwt7V8Yjv8q+HdEtGIPzopgjd3fMb/Wq0I9tlhu6p2Ef29WdVzQwYd"
    "5FvBeYhdKydQzG6nxew2308DkNMyYwS5j+J1d/ynNcE4aT9CfJ+f1ID3+UkpuuKWhhUZte"
    "bZf+MFGfe5/PwfId5krKiviqSlRpMYfWBviTpv+ucldt3y/Mhqblg9zHVbQiLUn5+8ON/g"
    "LP6oQvbzh4urK5XjSbEovyGWw8EsWyhUS7EdiRzFon3N477O/FUA9+bt5XuO3cHxqRFtfe"
    "wP14lM8fQhV6gHsvt1AeqBDIk2MAvbLCd7F4FLe2Saj3NaFJLXaj3OEAfc/ZrKCGPCCd50"
    "CLJyI9Jxv4U47DeLPIRhv50wrGaT/KlRWP589PGXq6uJavnuANXPoubYkv+Cz9sux4lwdu"
    "sqAXk3se5PxCZL+cM/4NUq+rGFWHexkVEV6/Y3zc1l1L5mrHs6JRxLulwfuc49MUXX6D9k"
    "YWaPuOaKCtyn01cIo5sHJ7AWya3v5S0UlZEQPOi/O9Zd/Gch2t3HQ754B7M1EhHviITtBA"
    "zNqWsTGwVO4JLDKPjshx7j/cZHaNsFneNfBTRtbbZ4A+LIu40jbz/0+gTaRGKEAPeT1ypa"
    "s5qAnBIZIcrdR5LB2VgOPRxjBp8UWOZDD0bHlvmuLBzRxyX15k6JcZO6/4hdI9/G2jatcS"
    "J0A813LLEduHKHqEeQ4FkJDm3CvT2YTlk4M4Pj6dRA06mg2Jr8QvSXINiax8+e8b8KJk0v"
    "T/niTaeCzxvdEHxe894hD4KuKy4kxF4zZHaqJ59YzsohXjCdHv7IbR35dMH8pWHA//Tpwx"
    "dvhdcMvbv48PZoafP3jactOhAJzH9IE6WPVusG1FxJWwO7SJsFtsouAkpij4okMDN2EVcB"
    "ZsawzAwOj6lmyVWYpBmp8VFtT+pZ/hWGf4FnC5U/R2aUKpgSivpkYJSCUarnYIzCKI1Dnt"
    "zq5D92FsYYFGxTVTOjykRNIo1WSqJm8O0isRCJz42ygAbYFUcrhQkZ92qIv3/5/AYdbI03"
    "MXHi85M5k/SJvdUy+bKBVUhhpN16ZlTYgMDL74WXX1aAtXRWbwVGY4ycHJ++OH35/Px0M6"
    "E3V6rmsYIsB+ovEINB3x07MRgGINpeIUMT2Ho6DUaP1OCd8lj3AeeGRFYN+Nf7iqqmabAK"
    "81rloFDM/QrvRNLajCfSEIWq80sD4Tch99LO1Y5yv4BkTDeJ6mwEIKlHHSrnTjjJWofNuq"
    "ckx2cGGsUmtyIjRLiPHEBcbfDbOWeykuCc0do5s9mwGw5yWm6Qc/mQAL3dACdf46xZefKM"
    "FGz9dbb+30PHEjnQwsBsHn0pCkMgpioQI4OeLXDOyAHEVRDHjOw2hMeCKOQ1aO24D5dL7C"
    "sW7xvytcxnvxUZg7JbtRu//fUmsxEnC/TBh4tfDzOb8dX1x3dJ89SCfnl1/RoKWug37VP7"
    "YdNRKIjC4gORk534npsHTrZzdzjPvmYzvS64hc9cq9QfsmrFaxxYi/8KiYS14N7PNzGqvP"
    "tRavaZaG3+sWleq8CFTx/QSlQ5XODge97auRd1HGRXaO6GbEFsNPfpEn0itsN+lPk1oruO"
    "jZb4jkT1KmTTSW4IO3/AF88R+U1owH9uGVURGIi67BVGRaQhmqvNcranZbpxOux2IDJOh/"
    "PTGj6H89NSl4O4VfDRBqGCjVjp14klBvTp8FXNdUjyMnt3SidaemVlmyLU1cTPrRSwP/Ma"
    "flR7tzGueTEAdr/zKg+6Hu/nobKyTCcFS203qu7PPrUIY8QuLeeWa1Gp6K6Sto0Kuf3Ddw"
    "KuMiblypioYMZFPCbUUeqJmmvYi+qvfccQmc+JFbySTcXmtP6eca0T2cQOV8XTNh333V0l"
    "NFB8tVR8IS3dABwQKG82DA0Ecols8D2tY1mcllsWxQjbdq9rrqvlZUFb01xby4ZWhUWssN"
    "zLg3opEQjqNQ/q7cQbpRnmfbujIHAKITtdB2MUiS0uQtsJrqgy0+LmnlFlXWPRynRpvQyL"
    "3Z4NSXmX4HSInqYrnwzUN9sYsEXJ0ZFGuzdiI9CaVtrNSo0P5lrc3OMKbu5xkZsbueoaoh"
    "xLjNCUPasD8Vk5wmcFgG0SYMdVWDR/+3z9UY1wSiRvvDpWgP4PuQ7rTe+b/Ps89CL/7Sx0"
    "3MDx2JF47H/2NckrABcQVRs8edvGyFqkooMCi3GvokDDfgvjdSxEe0NTJSotBWTJtpRVMH"
    "81GIQA+9wkaTwCGTH4BMD5sCd8Yblyd4DuuKnC6f2tRhXGaDEAVB9BNbNmakW+fk2D8pIk"
    "25tGladsRoMmxUgaucoU5TXI+mn0jm/FQfZEllxF0QzS6IB03HyEvoFe/C/32A0VTq5y58"
    "BGYHjXwG6inr04ASDDavmk308nQIIRFBgAUwhMod2ol28cZlHfvohPul3GuaUUumZJy0rF"
    "045kzOQgnRnnrqrJhI6fwdDDgjKCloQx/isYOgjI1+BQlNBe8ZWG8AmGDu6pY5FDJM9SCB"
    "qz4CyLOnHfMXmWr0iF7rpzONyn8WpWpS3fhg7vqRmdKi3Tl968u9N9PZQsjj62hihnpUZ3"
    "iLJ7mPVnOE/E6tpXXDILbx0GeTl/vMAeB00UNFFdB2NEmuhn4t8Tv9zlqWpWSwdlUqI3Py"
    "joerqsF/rreqPWQeaE2GY7fU8hOr6zCt0jzhc906cuaYh2TgyQfhzplU/mzldTbKPYsxUM"
    "wdeUA4q9smNuBekc6DMu3pf6kawxw4YCXl9fX2Vcza/f5084/fLh9dtPB8e5XJ5QYg0CAC"
    "qVFcyugdQoMLu+CbPryvHuLvk/Jwpba3PPqDKwXN6KY2CT2vWDqUe+FystElJROr2/iF5e"
    "od+p40XudWxF3vZggYXL/Y7YKKDyjigNHF312APxmaqmcA9PqMV9EY+D3Cb6LGJGhS1oxT"
    "O7tjc6bj9Gnkznx8EgccyAIJulBTkfB9ssr8s5CtD7SCQD55HK0d9PS6TOeSTydeXw3toU"
    "GMpIji+7zZ4MssLcLI5y2C6FUdhp9iLN3GpjGt8V8WxRWLSVgqKQHZ/btAc9JcatjZpSFB"
    "0h4n0oKQlyTVMy5OVGCHcfpwIS2Fpkv8tIwu6h8+4B3mgNzkWXbiNV+JdvIAB9NfQQCNjh"
    "oegwPnb7RHBrnt7dV1xTH7dOsZWfYzvhht4Rb6JKJp9pYFTmkk/8dYFoWzPUcn0RBgsUSS"
    "DXuSdJ4nfhFJ9hIeLRQFycOy5hP8qziGKKMOSTOd83F6L1Ei2IT4phls57V4ZY0sZWHLKB"
    "BPJabRBGRZAF4gCD5N7bfBYNYM5KjRHoPszqBLXmmQ6zcpDrsF6uQ5EYPtrzimiXZxjPy4"
    "1idlcZ0n3kGY836eboFwTH4EMaGn1m0ZUqrX55nomthB45KMXzRpODUqPo3x59GPvm3wOO"
    "cfluv5+R/TKOccGrtRsXgUynQF6H8/lElQh/e9eoTIUv25kz3rA2CVMMb7gUPSAhJ8z0qN"
    "4bOhD8R1kEmc/OW+qvD1UUy8bytQiUKU9OIg2m/n6Y+pvxKoxBBacyJTMKHb3vAr7iUzMb"
    "5ndLy4wQ5O4TwC/52zqiRJXC9f6GWM4SuyVH6jKCeSUgkjyKe9hD3CtwfvP28v2Hi6uDc+"
    "N57iBXupqctio1EOr6C5kDWXZkKnUdsiwQJYAo8a1BD0SJoUvXAVNiJEyJ1y7v5gP270jw"
    "3hOlrYVNqEp4rmpnVOY+FxLmUoqYTkbmcfqERxCdz4nP/4sw2szJ7xiS3aKoW+TTAEvX98"
    "F0+pfo2nR6+CNiAeWNHIYYt82IrWBQ9PCAWm6WpMNYt+Kq+hJIFVptJkaFpyU3ek106pzo"
    "CJXqPVGia9lO8vsuDnHpZ7ZpPybN7YllElKLFl8AHeyaTVEtyAG6CnRXvmMpGDFVu8JGZE"
    "yADmzjzQkOQr73K5CvykWVFhswCdXmyt5moQLHhgaTPtFXC/iXB0FSIhADKYmBgANjlw4M"
    "MUM7QPd93M0IgFU5MFLfsVYOjJA5HmHsE7knXkh+clipC0Pd0qh0YsQyph8JmYuU1KNujL"
    "f3xF+jpA+0wmsaBugAezZyAoZsvDbQnPrx0Q3HXSMLrxScjyf005T7YfPG3ELN+yOq+SLU"
    "dYkVB4z+Ca4LLV0XeClY8M1GYCsDKlNrlSn+ogrAV7uLtlLgKdLaU5RZ/BoOcl52hEMNkX"
    "YwSPtcXcEg7Z2UB2QGIDPoNRhAZhgQ2FZkBnCvjMS9culT71OozKGR3DKqHCgWb2T6Ye28"
    "GR5BvHXEymDWgtihS2z0O51JB0eKqYFwINOFc0MJCd34lfR++PRBsDLEPy0XO0sDMVpwp/"
    "TxkC+evMN7XXAwRF4OKgqYLugDuSc+4viu0QP170QOjsCx7gwkvDd40zNaOozxl3hYOC5B"
    "Ho0bf/F87ImHzbklbqMDfoM//VAKy58gHvKwIDL9x1q8OEFi4Ov7fvivrvD7gDNHS2dOPG"
    "h1Nd64+Qi13dM62u5pubZbPBsB7ppRu2v4ctqGvIVHzNsasYuG9ySgKox2eSqHrYQeqRzE"
    "Y0eTygE8ZuBT0HUwOvYp7MZa+4mKGPHtGzILJgqLLX3bqLLaFlFD/sPilo8abm/wmgmDKv"
    "RW2LFR3AEKV3eErNDBu4sPb4+W9iv0JTw5OT97jnjPImcCWrmYG0YEu8HCiG++QOSer3pM"
    "EQjv7SmNwuRgJGmzsBkVRpKYvKbNZ0xxEEpHICMz3CbzrN+B6IxqDFl6xqZFK4wmqASqz+"
    "oGUTjQmHUdDIjCDQjsHh0ploE6hfWRBPDKzQ4RA6sZKLoRwReu+bn0NiTo4JY/6gcOWEC8"
    "4AfZzVFAl+7hK6H1rziQBsL+kvrGhkVL+KXYfijaGZ33rrAv6hoRDXNOdZpuardWRC+8ln"
    "J7oWli6W4TSmsEdS8JpSU8DdBN2o8waNU9RStQZkyrAFedKA3AVYErCmqYdujjmeMqtb5S"
    "9VshOZwazr/BfrXwzrwKPp2ZM+qFCkdNZdK/jNxucv71BXEFfknCvzPjpHbCP/5+xONzsQ"
    "3KBVlAugLp5JzY0lEk7i9dKHJS4HgsLBEJQPhrG1gjKYA1DytdiZ8uIj0WZQqfbimyRUEA"
    "t5j1hPGt37OIycGyiOrwXeXCq5SHxbdi8Y3igE3nck4KJnIhwUzoWwuhyrbJNFOQBUd06x"
    "gAI67bZhCycjAAT4sE7Mar+rOL18T/vKCryjyNqmbGI+UtuYDJuETTLI0XKBL+jomiE4x6"
    "2EWiH5ksUfxjOj00kC8OudqIimKUPguQS+md5K/P1oi384loMJ2qKl103X3TZAiQnVG7r9"
    "GocOBCIrSd7ErRF9gqJWZKcISUkP2lgBSZ1MAB0eBLg8PucNh9XLMbaDZAs9EJWDjs/i0f"
    "dhcT+XJTXXGiMK9zLYwqy1rOm22xxprEpm3vDC34W79Cr7HjotfUs5mBPklzFt2I+s78z0"
    "sxN9AHfOuRgBUt6Cf21dRcFtQjMJW12VuNClN5l6SyXSs3PWuQf4TYC5rxRNIiEH6AxN/a"
    "LCBgF4FdpOtggF20YyVe0+MHAvX3CXViUqLDbxs8rsI7mbZNomIbSXEpqiEmLxEZubK4us"
    "V/QZSxuzL81bQfOM28n6t+lcYuRr6Jyp60H6HO3n1xd1nFTxG+qqJnbWS+xWrjpw1YWSuf"
    "LJ1Q4RWrDsxuhEB1bE8YCrDf7rx+VhKCs1oHZ0UyFDP0AsdtOsxZSRhmrYcZHCEaLKngCA"
    "FHiF6DAY6QAYHdO0dIBVc428Co4QhpRg/2kIjzIhw7MtCC8td+hRyZrBptejMQ+SN0Viti"
    "i1uioBlzaWAg6ou/RZ/0AW10lKyPpPNHfPGm0+hvk3xdOXz35irwdIoO6D3x5y5vNvfpEl"
    "liGjNDPGXOexN84yXxb0l5Ormcl6XCH2Og3yaFV4C6apr6ZVodDN/VmfD+R6O703PMTL5Z"
    "xfSuqrCck4Qiyw2KLItlsYmXMWnfyssYLxbazOCeiQFiXsplvdWMTknCjG4wo4s7aQH7ah"
    "eJsoMOPCWazf4xOUo8Gjjztcl1wmBOfYXnuSKpU1F0uAjKZDLI0nZ8Xie9U34AU9mdzvNL"
    "W4yatcCeRxROyEfxTkmOD+6Tl3XwPnlZDri4l0UcW1zF8Vu59nOiI3T67mku3joVLRLNts"
    "1GlhWFLUznLQx8/Rr4+uG8HZy3G9fshnAKhFN0AhbO2+30vN0nrqd8en95s7vqshzrK0qD"
    "m7IDd7kWRnWtWd7WdHljM2hw4u4CPfDJsgiierCyk1doOr3jYzqdojjtNzqIUn1vMn0n1Y"
    "QCJ3DJoYwkCZBFZl0Vl7ePR6hpvhKEaKwlCmaSp5o/wn/iAb1vJab0xChGebQoOyJ1lcqs"
    "1Aj1yu4ZvdFkb4DxRgDgrQFvtJw1WCC2AmPS2Ls745hatevO2LQMTNqSSVtl8AhoujB2RD"
    "8369U+ekrrKpDpuaYTx0lif70iXqnuKG/WUBspb1dPYSwH9ym0H0MmVfYi9yyQffQk+0Cd"
    "jR51CmENNQE3aQ/g1gBXWo4Ns36kZYDg87gvW9rpTUHOCI0P5fM6KJ+Xo3yuMD2EV6TZLr"
    "iVGU16lYFDYXa4ch1LqTBXUtcyckBca0BcW7nYUjEFK498W0qG4P5zaLrfELfKdgHhahpF"
    "RhDIM7qwKuqQZ4BUocFOAhF/iPjrNRgQ8R8Q2D06QBk5doV9NinzLkZ3jcfdi9LM69+/WO"
    "o3hCrSnZqjUEX6cdp7L1WkwQHbc3xsl0ttNDolK20cYHt0oZU47Gyd3e0E1ejz78pi13Wl"
    "1Wot6GWtjZym6krGjztbh69lPApzTTUAqprHdQZg6KrHoxuAjfM6Ut/NFV7TUOEwrBqM8j"
    "5gYJ7myNhdVh2pkKg0le3NSk0lqgwiU8j0rqlAopk9muNV6g6YPn0mAKahr6odWpH5ZCMx"
    "QoBP6wB8Wg5wMQkwJD+B5Cf6clb2JMaZYALJT9ovbZD8BJKfQPIT/dY24G9obZcAf0MXtw"
    "fwN4C/sUNg94i/IVAvpW9sbxqPuur6Im9UngaL3MVQoEunxdio8M9BwuJdeDhCz6XWXStT"
    "ICcKpgCYAqCPNjIFNltUYQAeO+822qwF3Z93A3sL7C29BgPsrQGBfXKGvCAxcp46YzN895"
    "Eim96ddDJlX7u8m9/5/37CXtboUzYwqkzaWdLUXPC2tZPkicaiWpKotCRKUPP5EpDpFDkM"
    "3fJ3+YH/Z+byMfhh0/8R199+Z9Q7/FFWY+ICdwQ9YIbEPyQ5MJckr+tHfPEeFkTUe5KXbE"
    "GLO0LTqWPzMRZVnV6h5L6Y/DZDs7UoDkXc+ZOrOBmyhGoQMuDTaGqvz0hDJl8sAPpUa3tB"
    "fs9F0G/I1xLINwKjsBSqzO+3v95kLO/EIjj4cPHrYcb6vrr++C5pnrIgLq+uXyvgDlkT42"
    "wrMWAgmsYZuoagyddiyVeQ5Eti/0C2ALKFDnD3QbawfILb1ZDPSo7Qv7on/tRatLFYKW46"
    "ximxYQZ4SEV1TOMLDnMNFGDw5YIvV6/BAF/ugMDuEXfmkjreX11nxfVpV+iXZKI6mF9oZF"
    "Qe0OfNzTlvL5TwSGAX598Sv5w4/rZ5EXDaabNqGxVOuwc+WxWLSuVp6EQENs/2jjvHbnY4"
    "Lm4/CrddLm1wDQv7rDxpcN665hq+eNkG2G4lxpctuGNwwQEKDlBwgIIDFBygPaE/JgfZEw"
    "5Jd306GtygvY0y74q6962+5pwonILXeZyxZZFVQJt7W3OCrYxGzcZ1NzZjwbXSIOKQFwXT"
    "vf0wQNxn94Pw4HCVu/l3kBGDlQhCP/sS+tku4BAAerS0Zn6zexzeREcZDlzN1pG62OaUuQ"
    "yy/B3Qx1+uriaKlRqAfQTYzM5UAutuApfv4jMCnwlj0Y8vhC3zTYyqoGVy5sBkUeua5yWu"
    "PYJ8Gno2onOE5fEFcdoAR0cRZEyK2Eicd1hhxxaHHf5COOp0uZ5O0ZJgFnJjCPkkCH2PHc"
    "rjCJnDEj303yaWKp4bzXwj4+6SwdVUaDt9C0KrWoZWM0NZ16ecERphtK/7TKMQwd6JBdYm"
    "dTek6u4A+MED3NrB3vOCYpMAO64iyl1+rColMoIQ4NDHqiAe2Goo9i2CAI5TDXYPIMyD11"
    "SvwQDC/IDA7hFh/ooGAfHXb/i7ThQ+p/Rto8rf5EYNTZu3rJ2bYzPXvmNICCIcoOlU/Evm"
    "uUAHz569evYM/XJzefijyHCBVpS6aEH5D5N5MwLHuiMB+w4xrpUTFKcQyWXn6P4hIj8H74"
    "Rg33WILztlyCXzAIXeA/XKvFJFN1T8EpAqU5+txKhwNSXD1VB9TomB7qy17gzE696J16s4"
    "LWwDd1YsMZxO/GwEq1jKk0Vdl94L5aNhQcycIODfDn8vXM6I32hVSYmMwNHVd42uzTxt7C"
    "nPS8IUb1lwlGs4XkvNyANe8h5oRuBVBNeWroPRsWtrp36YG+lsmJR7YuIGRh1fTOy5qOWN"
    "KUe7Dr9Gmri5Mr3gxNDSibEv6uhgoe3uFdIlDqwFUczy0imekhgRX/7k+PTF6cvn56ebCb"
    "65UjWv95cFMy6tHs7Iwxl5jeCGM/JgvRpgve7tdpKyEerjnxIC6IGOtB/Qg89ml3QkO+aq"
    "PBHdHPNlBPiqWEmp9RWIXqMmev3s4jXxN2cIAxyvijk3o6qZUeVsXEkBc3vecCMyXM3h7X"
    "EuYFJpswsaFU5IOLQ3yBkbedJW4eqtCIgnAqNxmnXmhHxwvCZQJs0ByAKQ0SnvZutvSmg0"
    "iA5+lrTpppdIAOLtEJ85t7eEBeZDU+pdThDwhyRiezsI4HwC55NegwFn4QYEdo9cJJ9dGv"
    "yN97SiSgZW+rZR5RJhvKH5e9Syf1cIuDy0WXuNCpfHPhx8GckgbEF3sVCiaRtuek4U6Ok6"
    "B/jDld2Sx5GVHCGPY+ITbF977jqegfs77PHbg3mn4RLbLlF0UXZE7Few9XQYjB5tvdTsHc"
    "7k02yu17X4il+6Vtl3fyIOC97eE09p+KXuGlV230K0M4loOMShm23uAeLZbJO+trJuaPGe"
    "D/ltd76OGxV2453jKfAvj5In7UcYIO+ecc8fF/Cv1bwjin2yHOOc2AihPj+tAfX5aSnU4l"
    "Yu+ujT5UphnpWn+9xKjALgKsOrj3yf2GMPKs2kfFpvJUYBeJ5dU49eU8WvKRBsokINKi7D"
    "3z5ffyxBOSWT9zc4VoD+D7lcjdhDvCvgFWhUT/D8XDay3gLRQX6CJ8rLrNHanZUa3TGpXq"
    "Z5Sk0sIF3tXstKjtC9tr/utKIXNTEjGo5xSgwGWOsB3pP8dtxkdu7JMOtl9xnuYi+H/LMB"
    "0jmxVnBr5hwaYGeKUWtzRl0hOj7QuzeZY9h8YhGnXUFidQ8QYNV557jlTyVmE/57SmK46N"
    "rzvj6qjinwFvZsR8zsJohmhUbDCe4M1GjGtVRiC8KwHum8HlkCdjNwmjm4slLj2+17OEFG"
    "GHXbbfM5UfiedP6esOfR0LNaDXReFkZa55GOytSZTxnwki5g3HUedyDLaUCWi4sxNx6CrB"
    "yQ5Nri35KnCBRFoCjuJUWRbUvFPxHgz4FP8DJbfX6/5nxdqmJ2rS2hKRYXlQ4wHjcFVHP2"
    "5zsfz35e+JiRSRkFNNXEeJwHestbmyvZvH82aCl5syGzrVNG227Zm73w2cp5mgH52qhceN"
    "IeqFblkb6C8rDD9eETsYj3CEc83abGCuHL5k0I45PLiHmKQkZsNFvLApXpApdRl0j2zxCd"
    "I4wE+ujgjqyCV7K5oOKj42eHskxlplZm153XIbHndZqEvizeAWjpu7acgJYOtHSdoO6elp"
    "6sMwWYHzk2zIDUCH7PPRxa8PxoNBgde352qR07tu2WW87x7To6sWwJBvP4DWb+k1mgdE6W"
    "HwlLy4xCvYFDYePwVGQwdhktIlxxICxuP/xhsMm/z0PPEhCiWei4geOxI/G8/5wMP907Oy"
    "Kmk9Pos6jqF1ZsjJsGNbZGlm77qKfoHwviFTw4Hl9ZI/8NchiyQ4IOxGvzl6ce7+Nh4bgE"
    "8X8iP/QYoj6i87nreEThLOqhf8h1t0fqfdXWLqZBC6M6JTYIl2jIgRmTSQ3Z1r6JYQbPiQ"
    "aMJWCMgedKw48BOEtacWtqcZZ2agf5oj4Y+Qf1s3p6aaNa9lDU3nzgAuAxHL/H8CGeGHWR"
    "TtqP0HHVDdg6uUpufOfewaWLQ3y7xrIQbFvCcjDm5QACCBBA2PU6DAEECCD0tCteEN+xFq"
    "oNMb5TuRfibZud7IIqf8W34n1/YkaL8h3vnvhq07h89U2JjHH5PTurs/yenZUvv+Jebvnl"
    "H1WT/S1qPkJ0j2ttbscVm9txcXOLSapN9reUCCRM3afN7M//ByJBloA="
)
