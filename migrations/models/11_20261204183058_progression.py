from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "achievements" (
    "key" VARCHAR(60) NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL UNIQUE,
    "category" VARCHAR(20) NOT NULL,
    "metric" VARCHAR(30) NOT NULL,
    "threshold" BIGINT NOT NULL,
    "wealth" BIGINT NOT NULL,
    "xp" BIGINT NOT NULL,
    "title_key" VARCHAR(60),
    "description" VARCHAR(200) NOT NULL
);
        CREATE TABLE IF NOT EXISTS "factions" (
    "key" VARCHAR(30) NOT NULL PRIMARY KEY,
    "name" VARCHAR(60) NOT NULL UNIQUE,
    "description" VARCHAR(200) NOT NULL
);
        CREATE TABLE IF NOT EXISTS "mission_templates" (
    "key" VARCHAR(60) NOT NULL PRIMARY KEY,
    "period" VARCHAR(10) NOT NULL,
    "category" VARCHAR(20) NOT NULL,
    "difficulty" VARCHAR(10) NOT NULL,
    "objective" VARCHAR(24) NOT NULL,
    "target" INT NOT NULL,
    "luck" BOOL NOT NULL,
    "description" VARCHAR(200) NOT NULL
);
        CREATE TABLE IF NOT EXISTS "projector_state" (
    "name" VARCHAR(40) NOT NULL PRIMARY KEY,
    "last_xid" BIGINT NOT NULL,
    "last_id" BIGINT NOT NULL,
    "rows_projected" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "projector_state" IS 'The projector''s watermark: the last (transaction id, ledger id) it projected, written';
        CREATE TABLE IF NOT EXISTS "faction_members" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "territory_key" VARCHAR(30),
    "joined_at" TIMESTAMPTZ,
    "left_at" TIMESTAMPTZ,
    "captures" INT NOT NULL,
    "community_id" BIGINT NOT NULL,
    "faction_id" VARCHAR(30) REFERENCES "factions" ("key") ON DELETE SET NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_faction_mem_communi_a5c64e" UNIQUE ("community_id", "user_id")
);
COMMENT ON TABLE "faction_members" IS 'A player''s faction (``faction`` null once left), home territory and dates.';
        CREATE TABLE IF NOT EXISTS "hall_of_fame_records" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "record" VARCHAR(24) NOT NULL,
    "value" BIGINT NOT NULL,
    "detail" VARCHAR(200) NOT NULL,
    "set_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_hall_of_fam_communi_1edadb" UNIQUE ("community_id", "record")
);
COMMENT ON TABLE "hall_of_fame_records" IS 'The community''s all-time records (biggest rob, longest streak, biggest jackpot, most';
        CREATE TABLE IF NOT EXISTS "leaderboard_history" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "period" VARCHAR(10) NOT NULL,
    "period_start" DATE NOT NULL,
    "metric" VARCHAR(24) NOT NULL,
    "rank" INT NOT NULL,
    "value" BIGINT NOT NULL,
    "archived_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_leaderboard_communi_83065a" UNIQUE ("community_id", "period", "period_start", "metric", "rank")
);
COMMENT ON TABLE "leaderboard_history" IS 'A finished period''s top places per metric, archived once at its rollover.';
        CREATE TABLE IF NOT EXISTS "leaderboard_snapshots" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "period" VARCHAR(10) NOT NULL,
    "period_start" DATE NOT NULL,
    "wealth_earned" BIGINT NOT NULL,
    "xp_earned" BIGINT NOT NULL,
    "messages" BIGINT NOT NULL,
    "plays" BIGINT NOT NULL,
    "robs" BIGINT NOT NULL,
    "rob_wins" BIGINT NOT NULL,
    "defenses" BIGINT NOT NULL,
    "checkins" BIGINT NOT NULL,
    "crates_opened" BIGINT NOT NULL,
    "contributed_cents" BIGINT NOT NULL,
    "gambling_net" BIGINT NOT NULL,
    "gambling_games" BIGINT NOT NULL,
    "gambling_wins" BIGINT NOT NULL,
    "heists_won" BIGINT NOT NULL,
    "missions_done" BIGINT NOT NULL,
    "faction_points" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_leaderboard_communi_bcff73" UNIQUE ("community_id", "period", "period_start", "user_id")
);
COMMENT ON TABLE "leaderboard_snapshots" IS 'One player''s counters for one period (daily, weekly, monthly, annual, lifetime): the';
        CREATE TABLE IF NOT EXISTS "mission_completions" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "period" VARCHAR(10) NOT NULL,
    "period_start" DATE NOT NULL,
    "key" VARCHAR(60) NOT NULL,
    "wealth" BIGINT NOT NULL,
    "xp" BIGINT NOT NULL,
    "crate" VARCHAR(20),
    "claimed_at" TIMESTAMPTZ NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_mission_com_communi_9e286d" UNIQUE ("community_id", "user_id", "period", "period_start", "key")
);
COMMENT ON TABLE "mission_completions" IS 'A claimed mission or period bonus (``key``: the template''s key or ``bonus``): the';
        CREATE TABLE IF NOT EXISTS "player_progress" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "rob_streak" INT NOT NULL,
    "rob_streak_best" INT NOT NULL,
    "items_seen" JSONB NOT NULL,
    "state" JSONB NOT NULL,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_player_prog_communi_0c04bb" UNIQUE ("community_id", "user_id")
);
COMMENT ON TABLE "player_progress" IS 'Running state the counters cannot hold: the current and best rob-win streak, the';
        CREATE TABLE IF NOT EXISTS "territories" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(30) NOT NULL,
    "held_since" TIMESTAMPTZ,
    "community_id" BIGINT NOT NULL,
    "faction_id" VARCHAR(30) REFERENCES "factions" ("key") ON DELETE SET NULL,
    CONSTRAINT "uid_territories_communi_d3fa16" UNIQUE ("community_id", "key")
);
COMMENT ON TABLE "territories" IS 'A community''s territory (the catalogue is game/content) and who holds it.';
        CREATE TABLE IF NOT EXISTS "territory_scores" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "territory_key" VARCHAR(30) NOT NULL,
    "day" DATE NOT NULL,
    "points" BIGINT NOT NULL,
    "community_id" BIGINT NOT NULL,
    "faction_id" VARCHAR(30) NOT NULL REFERENCES "factions" ("key") ON DELETE CASCADE,
    CONSTRAINT "uid_territory_s_communi_cff715" UNIQUE ("community_id", "territory_key", "faction_id", "day")
);
COMMENT ON TABLE "territory_scores" IS 'Points per territory, faction and day (UTC), added by the projector.';
        CREATE TABLE IF NOT EXISTS "user_achievements" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "unlocked_at" TIMESTAMPTZ NOT NULL,
    "achievement_id" VARCHAR(60) NOT NULL REFERENCES "achievements" ("key") ON DELETE CASCADE,
    "community_id" BIGINT NOT NULL,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_user_achiev_communi_81c343" UNIQUE ("community_id", "user_id", "achievement_id")
);
        CREATE TABLE IF NOT EXISTS "user_missions" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "period" VARCHAR(10) NOT NULL,
    "period_start" DATE NOT NULL,
    "target" INT NOT NULL,
    "progress" BIGINT NOT NULL,
    "assigned_at" TIMESTAMPTZ NOT NULL,
    "completed_at" TIMESTAMPTZ,
    "claimed_at" TIMESTAMPTZ,
    "community_id" BIGINT NOT NULL,
    "template_id" VARCHAR(60) NOT NULL REFERENCES "mission_templates" ("key") ON DELETE CASCADE,
    "user_id" BIGINT NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_user_missio_communi_0fca03" UNIQUE ("community_id", "user_id", "period", "period_start", "template_id")
);
        ALTER TABLE "game_events" ADD "detail" JSONB;
-- hand-written: the projector's order (DESIGN.md "Progress is a projection of the ledger");
-- every row the insert does not name takes its transaction's id. Existing rows share this
-- migration's transaction id, so the projector projects the history once, in id order.
ALTER TABLE "game_events" ADD "xid" XID8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX IF NOT EXISTS "idx_game_events_xid_id" ON "game_events" ("xid", "id");
INSERT INTO "projector_state" ("name", "last_xid", "last_id", "rows_projected", "updated_at")
    VALUES ('main', 0, 0, 0, now()) ON CONFLICT DO NOTHING;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "game_events" DROP COLUMN "xid";
        ALTER TABLE "game_events" DROP COLUMN "detail";
        DROP TABLE IF EXISTS "projector_state";
        DROP TABLE IF EXISTS "user_missions";
        DROP TABLE IF EXISTS "factions";
        DROP TABLE IF EXISTS "leaderboard_history";
        DROP TABLE IF EXISTS "mission_completions";
        DROP TABLE IF EXISTS "achievements";
        DROP TABLE IF EXISTS "territories";
        DROP TABLE IF EXISTS "faction_members";
        DROP TABLE IF EXISTS "user_achievements";
        DROP TABLE IF EXISTS "hall_of_fame_records";
        DROP TABLE IF EXISTS "leaderboard_snapshots";
        DROP TABLE IF EXISTS "mission_templates";
        DROP TABLE IF EXISTS "territory_scores";
        DROP TABLE IF EXISTS "player_progress";"""


MODELS_STATE = (
    "eJztfe932zbS7r+C1ZfY57Bp7Dhub7r3Pcdx0jZdJ85N3Ls972YPBZGQxZgCVIK0ovtu//"
    "cLgKTE3yZpkoKY+bDdmMSA1AMQmHlmMPM/kyWzicufXrLlMqCOv5m8RP8zoXhJxD/yNw00"
    "wavV7pa84OOZq1pbUTOHqOt4xn0PW764NccuJ+KSTbjlOSvfYVRcpYHryovMEg0deru7JH"
    "r5MyCmz26JvyCeuPGvf4vLDrXJV9F59Ofqzpw7xLVTr+zY8tnquulvVuraK+f2LfV/Vm3l"
    "A2emxdxgSXftVxt/wehWwKG+vHpLKPGwT+QTfC+Qv0C+YPR74x8VvuyuSfiWCRmbzHHg+o"
    "lfPDN31yam+f76xvz05sY0Jw0wshiV+IpX5QqAW/kK3/2v09Pnz384ffb8/McXZz/88OLH"
    "Zz+Ktup987d++Ct8mR1aYVcKs7e/vH1/I1+IiUEMB1he+EvJYB+HUmowduhzN7jN43+5wF"
    "4x+nH7DP7ih2Xxj9HWdwCW+KvpEnrrL8Sf52cV2P7fi4+Xv158PDo/O04D/D66c6puSah3"
    "0Kr/bwBt3L4baOMLO2x33/QWyMkg0J4+e1YDW9GqFFx1L42u5RGJhon9PMavxR3fWZJinN"
    "OSGbTtSPRp/I++sO9zYosfaF9TdxN9UBXg37x99+bTzcW7D/JxS87/dBV+Fzdv5J1TdXWT"
    "uXp0nhmnbSfon29vfkXyT/Tf1+/fKHgZ92899cRdu5v/nsh3woHPTMrWJrYT3358NUbtL7"
    "lzzO8Sq5e8MMPW3Rp7tpm6k5geC0xptN9l9pZI8ud/fCQuVtjmp0F2H70MuzvAyfBXPP3j"
    "q/GkkCiyU1aGa/7W8nSZvYIpvlU/ST5bPqkMtyodJYHtw6rKxkyO7IMay+QCRe0RRts+EF"
    "tT/hRNp9E907GnU+RwtF5gHwkFBq3EzJgzb/mEI3JPBJTIwp63QZjL245akZPY9/WczzTu"
    "9uhm7fjWAs08hm0Lc594KODiP45toH841l3RHSRkFupBjq16RK4j7osJ/JnyYCaRmhGOHC"
    "reUUxg4orXO4rfiX9/J7r9Psb76WpzbKDXDreYZ6PbwHFt+QTRUnWsLnwWv5oTd47ERbxF"
    "JGolbqE5ITbC1Eb3zLFI3IIbqgs5R5lLBBaxpJwyxz99ptOpJ26E2Il7vhF2JDpV/TydFK"
    "ug/5rEv0U22A3C5N8Z5fRfifkV6Zex4L9BcdVScU2ObF0NKykznJY1mAp7cl5DzTrJ7t47"
    "LUveyihZu0+mAcxpqTECffpjHaRPfyyHWt5LYy1XuCYox+0HNBfk0juMyVAH33J0c9iqva"
    "0JuFsBMMbAGANjbGeMpUY9ozPVV4Vy2taDStEhjPRgelHOIi4Yk/yA/Mw84tzSf5CNGpS3"
    "4uUxtYr2kCIW+cAGo8zsFZc9vN5q87mZKFAQv5344f5w8eny4vWbyV/ljEOfVvQHF2+I99"
    "YWdmEJz59pYVRZ0CvVVvxM1bgu5T+5pjsrFWHLYgH1EZsL8y7s8CWKetxI4yxp0+7MUyps"
    "29BKlO//NGc89/SMQouw1NBL/NuUvdazE2VL+UDzjmzAbtRkfTTAbtyv3Zj7kFqAnZQdI+"
    "h92JDxatQE76TMGHGuZe+cVNg7J3l7J7vqN8V6u1sA3rXwBvuyHP3x2pfBym456mlJGHVd"
    "Rj3GKDHs0dsDq6CB1pze4BrjX66wAfTV0AOhMzChk53rHYD7e9TNSHFNfNw6cWQK9QJmLB"
    "6Ncj5M/qAmHJhozSjClsc4R9h1txwUf4peYVdOjjBw4ZYgJnZmFPNOYRAGRi6xb8VfHluX"
    "MGBdP+HhoNw8n+U6c6UTmWuCXX9hEuxRgbuQy7f9uiq+viSci9HiJidiOgERpicRBlzBML"
    "ar7XDJYptNsc7KtcI7mtbfENzhutVsYdnJDKe3PhvB4rJDXWwFjRAP2wPa7dB2yX1ROEsp"
    "2tv2wwF+0i/gpydnP5z9+Pz8bIvz9koVvHkohVbvB9z0nSIboOIYTFpswCihDwG9mwyyPL"
    "+oszq/KF+cX+Rp3AWx7hxqimcSfNdgAucFR7N0dDaTXcx9MwZKUpvFpGlZvFuBcBVveni6"
    "RwWYkvbMoOkzH7umUsBUOEKDyVokCtM1O13XDi04nFOuokXNAcjcd884J02g3AkAmFkwPT"
    "Zr/L2nZADSIkh5YFmE81bQ5mQB4izEacItB2+VIZYTHQ26Q9tkxcRpo8Eo7wNGpeWohHot"
    "9k2PKGdD81iCki46CCo4HAVZ8xiCgqMJEDA0stARCBj6Fke9TsCQWqA5IbTVyh4LwpjrMu"
    "Zw9Exj5QoilbQ5epYMpEie6cp8Cw3S3eSPk40E+tTacSsD8MNsK4+D6xfR0Zt7cpArRi2k"
    "LMZcW+aweRxOl1E3Y4XpC3YKvLFNEPot6mGM6ODAdnxTfCXeo9enC9nVFbs9WNu6DlI+9m"
    "7JY5emkSPlOvRONLEfO6GuRD+X4p9j+vb6jLbd7XgFIbep7bA87jaz/faadPZfybDlBLNT"
    "GLaavA8xq1rGrKppE8KYG4XyYJ201AjjVs/qROqclUfqnJVEUUp7xMfNJnxWEjwXbSMq26"
    "CflALk2yGffNkc+Dfkawn0GbERJA6r4gvf/HGTogrjxeTo3cUfxym68Or6/S9x88Tic3l1"
    "/Sobi8kCz2p8pj4tNb4o+V4SttnELzRaf/t0/b5sescSWabcsXz0H5VY9vCgrkBWQlE9xb"
    "Oz2UjT3LKD7BQHv2T5rAdvBXgr4Ej7WKAHR1ErCid+ATjTPoAHruxM+0ex4H98e3mzr0Pt"
    "W4dJYdmEnTOlqlxCwnPTLcVWnAMx5tDELUztLdkSktlR0sm5PC2VTakITJuWTFt2IOtaY1"
    "m5EbJt3Z+Ly38lDRAvFB4B+5Cxgl+8qGMFv3hRbgXLe2ncydeVI7T8FtZYWnIYa2zIRehA"
    "jC+IBQabG2xu3bQKsLnB5tZ1MMDmHhDYA8ojpyLwCsztODKv3NSOo//q1CIMyxkgK/A8oa"
    "27G1l5T8o/RR/Jkt3LknYUzcQFWdputlHlDJSquUFf2CyfNq6THhvZ+GC+a7PaGxXmu5wC"
    "rVTelOAINd4D0XBrGTaeWDwxJy1GOS0J5qveo4x5USRKRWXArcToaKB+qguAqQim4jcGPZ"
    "iKYCrqBOwBmYrvGBVq0f9TR0tKD0PkGxlVRuQy0bzJ4QiVOJwHqxXz/LCCfFQ6flchTyb2"
    "QY6PjrBoODMQRrfOXJXXo/ICN9DM8cV/ZbF38X84Z2R2/4jPVAy7LdvZjKrffGyEOczXC6"
    "x6Won7T9F0KqdAWPZdDoK4LayTsNy8I8v9iet3Qm+iYTr02eYzxSjOUY0omzFbGcRhcfno"
    "I0UL8fobIt7W8ojtiK9GdEtkI/HouPjg3PG4+Gu1Itjjx+2qCYbHDppVmzeU00G9FZxD2b"
    "dyAkUE91pEcPv9NAA5KTNGkPsoGngnfloTjOP2I8T3+WkNeJ+flqIrb2lYCVOzoHsohLmH"
    "+Jk+TpH8GeBtppD6qkhSajQJ6QdmS4rz1X9aYtctz0tdHBtWD3PdlpAQ9eenP5xvcZZ/VC"
    "H76d3F1VUR8VSwKL8mliPALFsoipZiOxR5Gon2NY/7OmtZAdzrN5dvBXZHJ2dGuPXxP10n"
    "NMWTh4uhDsv+1wWowzIk2hBZ2GY5OTgPXJKRaT7OSVFIGqz1OIMfcP9rKiecSxK86RCk5U"
    "ak434LfthvFnlww347bljNJvljvbDi+ej971dXk6LluwNUP8lab0vxCz7tuhwnwumtqwTk"
    "/fi6PxKbLNUPf4dXq/DH5nzd+UZGla/b2zY3l2H7mr7u6ZQILNly89R17okpu0b/WxXEps"
    "Q1V0ziPp2+RBjdrB3fWsS3vlO3UFi+Q8ZB/8Ox7qI/c97uPh7ymR7NNkh6vMMgbMfnaM5c"
    "m9jId3yXHIfOZy+gXPQbHaFt53SOfhWEaWuzxRvgR96vH3n3odcPoI0lRghwL56gaM1qAn"
    "JCZIQod+9JBrKxHHo4xgycFFjmQw9Gx5b5viwc2cclo3OnxLhJ3H/ArlFvY+2a1jgRuoXm"
    "CY9tB6HcIUYJknFWMoY2jr09mk55MDP9k+nUQNOpDLE1xYXwLxlga548eyb+ypk0vTzlM5"
    "1OZTxveEPG85r3DlnLcF15IQ7sNQNuJ3ryiOWsHEL96fT4J2HrqKfLyF8W+OJPj60/0xXe"
    "cPTLxbs3T5e2eN9o2qIjmTj++2Sg9NPVpkForgpbA7tImwW2yi6CkMQeFUmIzNiHXwUiM4"
    "aNzBDwmMVRchUmaUpqfKG2p/Us/wrDPxdnCxVXR2aUFkRKFNSFA6MUjFI9B2MURmnk8hRW"
    "p/ixsyDCIGebFjUzqkzU2NNoJSRqOt8uYguReMIo85mPXXm0UpqQUa+G/Pv3T6/R0c54kx"
    "MnOj+ZMUkf2Vstky/tWIUURtqtZ0aFDQhx+b3E5ZcVvi2d1TuB0RgjpydnP5z9+Pz8bDuh"
    "t1eq5nFBsByovxAYDPru2AODYQDC7RUyNIGtp9Ng9BgavNc41kPAuWEgqwbx14eKqqZpsH"
    "LzuoigKJj7FexE3NqMJtIQBcKzSwMRNyH30t7VjnJeQEVMN/HqbAUgqUedUM69xCRr7Tbr"
    "PiQ5OjPQyDe5Exkhwn3kABJqg9eOnElLAjmjNTmz3bAbDnJSbpBz+ZAAvd0Ax1/jrFlZ+J"
    "QUbP11tv4vgWPJHGiBbzb3vuSFwRFT5YhRTs8WOKfkAOIqiKOI7DYBjzlRyGvQmrgPlkvs"
    "FSzeN+RrGWe/ExmDslu1G7/54ya1EccL9NG7iz+OU5vx1fX7X+LmiQX98ur6FRS00G/aJ/"
    "bDpqOQE4XFBzwne+GemztOdnN3OGZfs5leF9zcZ65V6g9VteIV9q3F/wmIgjVH72ebGFXs"
    "fpiafSZbm39um9cqcOGxNVrJKocL7H8nWjv3so6D6grN3YAviI3mHluij8R2+E8qv0Z417"
    "HREt+RsF6FajrJDGHnD/hMHZnfhPni55aFKkIEoi57hVHhaQjnarOc7UmZbkiH/Q5EinQ4"
    "P6vBOZyflVIO8laOo/WDgmjESl4nkhiQ0xGrmuuQ+GUO7pROuPSqyjZ5qKsDP3dSEP2Z1f"
    "DD2ruNcc2KAbCHnVd50PX4MA+VlWU6yVlq+1F1P3jMIpwTu7ScW6ZFpaK7its2KuT2T8/x"
    "hcoYlyvjsoKZEKFcqqOMypprmIb1155wROZzYvkvVVO5OW2+40LrRDaxg1X+tE3HfXdXCQ"
    "0UXy0VX0hLN0AMCJQ3GyYMBHKJbPE9q2NZnJVbFnkP226va66rZWVBW9NcW0u7VqVFXGC5"
    "lzv1EiLg1Gvu1NsLG6UZ5n3TUeA4BZedroMxisQWF4Ht+FesMNPi9p5RZV1j2cp0Wb0Mi9"
    "2eDUmwS3A6RE/TVUwG5pltDNi85OiCRrs3YkPQmlbaTUuND+ZasbknFbG5J/nY3JCqa4hy"
    "JDFCU/ZFHYhflCP8IgewTXzsuAUWzW+frt8XI5wQyRqvjuWj/yDX4b3pfZO/zwMa8rezwH"
    "F9h/Kn8rH/1dckrwBcQlRt8GRtGyNtkcoOclGMB+UFGvZbGC+xEO4NTZWopBQES7YNWQXz"
    "V4NB8LEnTJLGI5ASg08AyIcDiRdWK3cH6I47VDi5v9WowhguBoDqA6im1kytgq9fMb+8JM"
    "nuplHFlM2Y36QYSSOqrKC8Btk8LrzjWyHIHhklV1E0gzQ6IB01HyE30Av/co/doIDkKicH"
    "tgLDUwP78Xr2QgJAhtXySX+YJECMERQYAFMITKH9qJevHW4xz76ITrpdRrmlCnTNkpaViq"
    "cdypjxQTozyl1VMxI6egZH6wXjBC0J5+JXcHTkk6/+sSyhvRIrDRETDB3dM8cix0idpZBh"
    "zDJmWdaJe8LVWb58KHTXncPhPo1Xsypt+TZwRE/NwqmSMn3pzfs73ddDyeLwY2uIclpqdI"
    "cou4dZ/wjniVxd+/JLpuGtE0FeHj+eix4HTRQ0UV0HY0Sa6Cfi3ROvnPIsalZLB+VKojce"
    "FHQ9XdYL/XW9Uesgc0Jss52+VyA6vrMK3SMuFj3TYy5piHZGDJB+GOmVR+bOV1Nuo5jaBR"
    "GCr5gAFNOyY2456QzoMyHel/oRrzHDugJeXV9fpajmV2+zJ5x+f/fqzcejk0wuTyixBg6A"
    "IpUVzK6B1Cgwu74Js+vKoXeX4p+TAltre8+oMrBc0UpgYJPa9YMZJd/JlRZJqTCd3t9kLy"
    "/RF+bQkF7HVsi2+wssKfc7YiOfqTuyNHB4lfI18XhRTeEenlAr9kU+DnKb6LOIGRW2oBXN"
    "7NpsdNR+jHEynR8Hg8QxA4JslhbkfBhss7wu5yhA7yORDJxHKkf/MC2ROueRyNeVI3prU2"
    "AoJTm+7DYHMsgF5mZ+lIN2KYyCTrMXaUarjWl8V4TasrBoKwWlQHZ8tGkPekqEWxs1JS86"
    "QsT7UFJi5JqmZMjKjRDuPk4FxLC1yH6XkoTdQ+fdA9hoDc5Fl24jVfiXbyAAfTX04AjY46"
    "HoIDp2+0hwa57ePVRcEx+3Tr6VD5GdcMPuCJ0UJZNPNTAqc8nHfJ0v29Z0tVxfBP4ChRLI"
    "de5JnPhdkuIzLEUo8+XFueMS/pM6iyinCEcemYt9cyFbL9GCeCTvZum890IXS9LYilw2kE"
    "Beqw3CqHCygB9gkNx728+iAcxpqTEC3YdZHaPWPNNhWg5yHdbLdSgTw4d7Xh7t8gzjWblR"
    "zO4qQ7qPPOPRJt0c/ZzgGDikodHnFlsVpdUvzzOxk9AjB6V83mhyUGrk/TugD+PQ+D2IMS"
    "7f7Q/Ts18WY5xjtfZDEah0CuRVMJ9PihLh7+4alanwVTtzJhrWDsKUwxssZQ9IykkzPaz3"
    "ho5k/KMqgixm5y3zNsdFIZaN5WsFUCaYnFgaTP3DMPW345Ubg4qYyoTMKHT0vgv4yk/NbJ"
    "jfLSkzQpC7TwC/FG/ryBJVBdT7a2I5S+yWHKlLCWaVgFDyadTDAeJegfPrN5dv311cHZ0b"
    "zzMHuZLV5LRVqSGgrj+XOQTLjkylrhMsC4ESECjxrUEPgRJDl66DSImRREq8ckU377B3R/"
    "y3VJa2ljZhUcLzonZGZe5zKWEulYjppGQeDp+gBLH5nHjivwij7Zx8wpHqFoXdIo/5WFHf"
    "R9Pp38Jr0+nxT4j7TDRyOOLCNiN2QQRFDw+oRbPEHUa6lVDVlxBUodVmYlQwLZnRa6JTZ0"
    "RHqFQfiBJdy3ZS33d+iEs/s237MWlujyyTkFi0xALoYNdsimpODtAtQHflOVZBREzVrrAV"
    "GROgA9t4c4L9QOz9BchX5aJKig2YhGp75WCzUAGxocGkj/XVHP7lTpCECPhASnwgQGDsk8"
    "CQM7QDdN9G3YwA2CICI/Eda0VgBNyhhPOP5J7QgPzq8FIKo7ilUUliRDKmFwqZi4TUgzTG"
    "m3vibVDcB1rhDQt8dISpjRyfIxtvDDRnXnR0w3E3yMKrgpiPR/TTNPbDFo2FhZrlI6rjRZ"
    "jrEityGP0bqAstqQu8lFHwzUZgJwMqU2uVKfqicsBX00U7KWCKtGaKUotfw0HOyo5wqMHT"
    "DgZpn6srGKS9B+VBMAMEM+g1GBDMMCCwrYIZgF4ZCb1y6TH6MSjMoRHfMqoIFEs0Mr2gdt"
    "4MSpBoHUZlcGtB7MAlNvrCZorgSERqIOyrdOHCUEJSN36p2A+PrWVUhvyn5WJnaSDOcnRK"
    "Hw/5TNUd0etCgCHzcjBZwHTB1uSeeEjgu0Fr5t3JHBy+Y90ZSLI3eNszWjqci5dYLxyXIM"
    "qixp+ph6l82FxY4jY6EjfE04+VsPoJ8iHrBVHpPzbyxQmSA1+f+xG/uoL3ATJHSzInGrS6"
    "Gm/UfITa7lkdbfesXNvNn40AumbUdI1YTtsEb+ERx22NmKIRPUmocqNdnsphJ6FHKgf52N"
    "GkcgDGDDgFXQejY05hP9bar0z6iG9fk5k/KbDYkreNKqttETYUPyxq+aDh9hpvuDSoArrC"
    "jo2iDlCwuiNkhY5+uXj35unSfok+B6en5y+eI9GzzJmAVi4WhhHBrr8wops/IHIvVj1e4A"
    "jv7SmN3ORgJGmzsBkVRpKcvKYtZkx+EEpHICUz3CbzrN+B6CzUGLL0jE2LLjCaoBKoPqsb"
    "eOFAY9Z1MMALNyCwB3SkWDnqCqyP2IFXbnZIH1hNR9GNdL4Izc9ltwFBR7fiUd8LwHxC/e"
    "9VN099tnSPX0qtfyWANBD2lswztlG0RFyK7Ie8ndF57wX2RV0jomHOqU7TTe3XiuglrqXc"
    "XmiaWLrbhNIaQd1LQmkFTwN04/YjdFp1H6LlF2ZMqwC3OFEagFsEriyoYdqBh2eOW6j1la"
    "rfBZLDqeHiG+xXC++MVfDYzJwxGhQQNZVJ/1Jy+8n51xfEFfjFCf9eGKe1E/6J9yNUzMU2"
    "KOdkAekKpONzYkunIHF/6UKRkQLiMbdExADhr21gDaUA1iysbCV/uvT0WIwXcLqlyOYFAd"
    "x81hMutn5qEVOAZZGiw3eVC2+hPCy+FYtv6AdsOpczUjCRcwlmAs9aSFW2TaaZnCwQ0a19"
    "AJy4bptBSMvBADzOE7AfVvWDizfE+7Rgq8o8jUXNjAfKWwoBkwuJplkaL1Ao/ITLohOcUe"
    "wi2Y9Klij/MZ0eG8iTh1xtxGQxSo/7yGXsTsWvzzZItPOIbDCdFlW66Lr7pskQIDujdl+j"
    "UUHgQiK0vexK4RfYKiVmQnCEISGHGwKSj6SGGBANvjQ47A6H3cc1uyHMBsJsdAIWDrt/y4"
    "fd5US+3FZXnBSY15kWRpVlrebNrlhjzcCmXe8cLcRbv0SvsOOiV4za3EAflTmLbmR9Z/Hn"
    "pZwb6B2+pcTneQv6kX01NZdl6BGYytrsrUaFqbzPoLJ9Kzc9a5B/Bpj6zeJEkiLgfoDE39"
    "osIGAXgV2k62CAXbRnJV7T4wcS9bdx6MSkRIffNXhYhXdSbZt4xbaS8lJYQ0xdIspzZQl1"
    "S/yCMGN3pfuraT9wmvkwV/0qjV2OfBOVPW4/Qp29++LuqopfgfuqKjxrK/MtVhs/axCVtf"
    "LI0gkKWLFqx+xWCFTH9gFDPvbanddPS4JzVmvnrEyGYgbUd9ymw5yWhGHWepiBCNFgSQUi"
    "BIgQvQYDiJABgT04IqQiVjjdwKhBhDQLD6ZI+nkRjogMtGDitV8iRyWrRtveDET+DJzVit"
    "jylixoxl3mG4h58m/ZJ1ujrY6S5kg6f8RnOp2Gf5vk68oRu7dQgadTdMTuiTd3RbO5x5bI"
    "ktOYG/Ipc9GbjDdeEu+WlKeTy7AsFXyMgf41yb0C1FXTlJdpdTB8X2fC+x+N7k7PcTP+Zg"
    "umd1WF5YwkFFluUGRZLotNWMa4fSuWMVostJnBPQcGyHmplvVWMzohCTO6wYzO76Q57Ksp"
    "ksIOOmBKNJv9YyJKKPOd+cYUOqE/Z14B81yR1CkvOpwHZTIZZGk7Oa+T3ik7gInsTufZpS"
    "1CzVpgSkkBCfkg3gnJ8cF9+mMdvE9/LAdc3ksjji2h4nitqP2M6AhJ3wPNxVunokWs2bbZ"
    "yNKisIXpvIUB168B1w/n7eC83bhmN7hTwJ2iE7Bw3m6v5+0+Cj3l49vLm/1VlxVYXzHm35"
    "QduMu0MKprzYq2pisam36DE3cXaC0my8IP68GqTl6i6fROjOl0iqK03+goTPW9zfQdVxPy"
    "Hd8lx8qTJEGWmXWLYnn7eERxmK8CIRxrhYIZ56kWj/AeeUDvW/EpPdKLUe4tSo9IXaUyLT"
    "VCvbL7iN5wsjfAeCsA8NaAN1zOGiwQO4ExaezdnXFMrNp1Z2xSBiZtyaStMngkNF0YO7Kf"
    "m83qEJnSugpkcq7pFOOksL9eEVqqO6qbNdRGJtrVUxjLwX1M2I+hkirTkJ6FYB89g32gzk"
    "aPOoW0hpqAG7cHcGuAqyzHhlk/kjIQ4PMwl63s9KYgp4TGh/J5HZTPy1E+LzA9JCvSbBfc"
    "yYwmvcrArjA7WLmOVagwV4aupeQgcK1B4NrKxVZRpGDlkW+rMELw8GNout8Qd8p2DuHqMI"
    "qUIATP6BJVUSd4BoIqNNhJwOMPHn+9BgM8/gMCe0AHKENiV9pnkzJ2MbxrPEwvKjOvf36x"
    "lDeEKtKdmqNQRfrhsPdeqkgDAduzf2yfS204OiUrbeRge3ChVTjsbZ3d7wTV6PPvymLXda"
    "XVai3oZa0NSdPiSsYPk63D1zIehblWNABFNY/rDMDQVY9HNwBb8jpU380V3rCggDCsGozy"
    "PmBgHkdk7C+rjlJIijSV3c1KTSWsDKJSyPSuqUCimQOa41XqDpg+fSYAZoFXVDu0IvPJVm"
    "KEAJ/VAfisHOB8EmBIfgLJT/SNWTkQH2eMCSQ/ab+0QfITSH4CyU/0W9sgfkNruwTiN3Sh"
    "PSB+A+I39gjsAcVvSNRLwzd2N40Hqbq+gjcqT4OFdDEU6NJpMTYq+DlIWLwPhiOgLrPuWp"
    "kCGVEwBcAUAH20kSmw3aJyA/DQebfRZi3o/rwb2Ftgb+k1GGBvDQjsozPk+bGR89gZm4p3"
    "Hymyyd1JJ1P2lSu6+SL+9yumaaOvsIFRZdLO4qbmQrStnSRPNpbVkmSlJVmCWswXn0ynyO"
    "HoVrzL9+I/M1eMwffb/p8K/e0LZ/T4J1WNSQjcEbTGHMl/qODATJK8rh/xma4XRNZ7Upds"
    "GRb3FE2nji3GWFZ1eoni+3Ly2xzNNrI4FHHnj67iZKgSqn7AIZ5GU3t9RhpG8kUCoE+1th"
    "fU95wH/YZ8LYF8KzAKS6HK/H7zx03K8o4tgqN3F38cp6zvq+v3v8TNExbE5dX1qwK4A97E"
    "ONtJDOiIZlGGriHC5GtFyVcEyZf4/iHYAoItdIC7j2ALyyO4XQ35tOQI+dUD4VNrhY1FSn"
    "HTMU6IDTPAQyqqYxpfIMw1UICBywUuV6/BAC53QGAPKHbmkjn0Z9dZCX3alfolmRQdzM81"
    "MioP6Ivm5ly0l0p4KLCP828xLyePv21fBEg7bVZto4K0W4vZWrCoVJ6GjkVg82xP3Dl2s8"
    "NxUftR0HaZtME1LOwX5UmDs9a10PDlyzbAdicxvmzBHYMLBCgQoECAAgEKBGhP6I+JIHvE"
    "IemuT0cDDdrbKIuumHvf6mvOiMIpeJ3HGVsWWfmsOduaEWxlNGo2rvuxGXPUSgOPQ1YUTP"
    "f2wwB+n/0PwtoRKnfz7yAlBisRuH4OxfWzW8DBAfRgac3sZvcwvLGOMhy4mq0jdbHNKHMp"
    "ZMU7oPe/X11NClZqAPYBYFM7Uwms+3Fc/hKdEfhEOA9/fM5tmW1iVDkt4zMHJg9b1zwvcU"
    "0J8lhAbcTmCKvjC/K0AQ6PIiifFLGRPO+wwo4tDzv8jQjU2XIznaIlwTwQxhDyiB94lB+r"
    "4wipwxI99N/GlyqfG858I0V3KedqwrWdvAWuVS1dq6mhrMspp4RG6O3rPtMoeLD3YoG1Sd"
    "0Nqbo7AH5wB7d2sPe8oNjEx45b4OUuP1aVEBmBC3DoY1XgD2w1FIfmQQDiVIPdAwLmgTXV"
    "azAgYH5AYA8oYP6K+T7xNq/Fu04KOKfkbaOKb3LDhqYtWtbOzbGda084koII+2g6lf9SeS"
    "7Q0bNnL589Q7/fXB7/JDNcoBVjLlow8cNU3gzfse6Iz58gLrRygqIUIpnsHN0/RObnEJ0Q"
    "7LkO8VSnHLlk7qOArhktY6XyNFT0EpAqU5+txKigmuLhaqg+J8RAd9Zad4bA694Dr1dRWt"
    "gGdFYkMZxO/GwEq1iCyWKuy+6l8tGwIGZGEPBvhz8NljPiNVpVEiIjILr6rtG1naeNmfKs"
    "JEzxlgVHhYZDW2pGFOKSD0AzAlYRqC1dB6NjamuvPMyNIhsm5UxM1MCow8VEzEUtNqYc7T"
    "rxNcrEzZTpBRJDSxLjUNTRwVzb3SukS+xbC1Iwy0uneEJiRPHypydnP5z9+Pz8bDvBt1eq"
    "5vXhRsGMS6uHM/JwRl4juOGMPFivBlivB7udJGyE+vgnhAB6CEc6DOiBs9lnOJIdxao8Et"
    "1M5MsI8C2KSkqsrxDoNepArw8u3hBve4bQx9GqmKEZi5oZVWTjSgmYu/OGW5Hhag7vjnNB"
    "JJU2u6BRQULCob1Bztiok7YFVG+FQzwWGA1p1hkJuXZoEyjj5gBkDsjwlHez9TchNBpEBz"
    "9L2nTTiyUA8XaIz5zbW8J9c9009C4jCPhDErGDHQQgn4B80msw4CzcgMAeEEXyyWX+b6Kn"
    "FSuMwEreNqooES4aml/Clv1TIUB5aLP2GhWUxyEcfBnJIOxAd7FUolmb2PSMKISn6+zgD1"
    "Z2yziOtOQI4zgmHsH2NXU30Qw83GGP3h7MOw2X2HaJovOyI4p+BVtPh8Ho0dZLzN7hTD7N"
    "5npdiy//pWuVffdX4nD/zT2hhYZf4q5RZfctZDuTyIZDHLrZ5R4g1Obb9LWVdUPz9zzIb7"
    "v3ddyosBvvHFqAf7mXPG4/Qgd59xH34nG++FrNO1KwT5ZjnBEbIdTnZzWgPj8rhVreyngf"
    "PbZcFZhn5ek+dxKjALjK8Ooj3yemfF2kmZRP653EKADPRtfUC6+piq/JBdiEhRqKYhl++3"
    "T9vgTlhEyWb3AsH/0HuUKNOEC8K+CVaFRP8OxcNtJsgewgO8Fj5WXWaO1OS43umFQv0zyh"
    "JuaQrqbX0pIjpNcOl07Ls6ixGdFwjBNiMMBaD/CB5LcTJrNzT4ZZL7vPcBexHOrPBkhnxF"
    "rBrRk5NMDOFKHW5ox6gej4QO/eZI5g84hFnHYFiYt7AAerzjvHrXgqMZvEvyckhvOuPe/r"
    "o+o4BN7C1HbkzG6CaFpoNDHBnYEazriWSmxOGNYjndcjS8Ju+k4zgistNb7dvocTZIQzt9"
    "02nxGF70nn7wlTygJqtRrorCyMtM4jHZapMx8z4CVdwLjrPO4QLKdBsFxUjLnxEKTlIEiu"
    "Lf4t4xQhRBFCFA8yRJHvSsU/EuBPvkfwMl19/rDmfN1QxfRaWxKmmF9UOsB43CGgmkd//u"
    "Lh2YeFhzmZlIWAJpoYD8eB3orW5ko17z8atDR4s2FkW6cRbfuN3uwlnq08TtMnXxuVC4/b"
    "Q6hVuacvpzzscX34SCxCH4gRT7apsUJ4qnmTgPHJZRh5igJObDTbqAKVyQKXYZdI9c8Rmy"
    "OMJPro6I6s/JequQzFRyfPjlWZylStzK47rxPEntVp4vBl+Q4Qlr5vywnC0iEsXSeouw9L"
    "j9eZHMwPHBvmENQIvOcBDi0wPxoNRsfMzz61Y8e23XLLObpdRydWLcFgHr/BLH4y9wvJyf"
    "IjYUmZUag3cChsHExFCmOXszzCFQfCovbDHwab/H0eUEtCiGaB4/oO5U/l8/5rMvx07+yI"
    "mE6k0SdZ1S+o2Bi3DWpsjTzZ9kGm6J8LQnMMDhUra8jfIIcjOyDoSL62eHlGRR/rheMSJP"
    "6JvIByxDzE5nPXoaSALOqhf8h1d0DqfdXWLqdBC6M6ITZILNGQAzMmkxqyrX0TwwzMiQYR"
    "SxAxBsyVhh8DxCxpFVtTK2Zpr3aQJ+uDkX8yL62nlzaqZQ+F7c21EADGcPyM4TqaGHWRjt"
    "uPkLjqBmydqJIbz7l3cOniEN2usSz4u5awHIx5OQAHAjgQ9r0OgwMBHAg97YryNMB75jtz"
    "x8IRTLmtMdemcn9UZXdoovkQWYoryvZawjyD7MN7pzuq9lgI89wt9XUUmtNyheY0F3sIRw"
    "a24L6otY++qNhHX+T30cT6kkO52k+RlhzGTwHeqLYJDXC7JAYYEhccwviCG0oDNxQUcQUP"
    "lF6D0aMHCoq41vE5aVrE9cJaOOSeLEvOaSZvG1XGMt41BN/S3snkOtbBeblxcP7sITK5ab"
    "rmR+Vp1hnqk1qW2EmFJXZSYIkJLG6Z1+w0Y0JmhBZv97kal0Q832oC8U5ihAA/rwPw83KA"
    "n+cA9hfCrFkwt6EanBIDRbi1DbIm2BUj2wj7ncxo8iUPjPrXVTPEw/aAdju0fcd3SdNz/y"
    "mh8WU17kr526GcfK0GOGfERrhnji1zz8/YKnOdxreMKiNwHjYCA3DfVklXyhwYgLDcPhzV"
    "MoHFtv1i+44sZ2qNK1tyowZ1Fl5zqdrWTI52gVYu3hDvCUeRPDqaTqN/TqfqfRGjFkEumf"
    "vHBlqwJUE+8TzHZ94GYWojVV8lf9q1264fPuhq7PhVOPOqkaZelf8xGuvG2ntWcHwafPdU"
    "zBfm0FaRHSlBcPzr7PiXK2mLEU6IwfjqPL4WXvmB17AE2k5kNBRTd1XlIFJm/wxerLkWDU"
    "G5EpCWAg3gYQ0AIpIgIkmvwYCIpAGBbRWRVLBOd4Bqgkk+rCW6Lq7pzUmv7ALYda/nP4sx"
    "/UissuQC2TZG5SFi0dpkc3Mu2ssM/bVzC0xuMsnQREffSSsDRb2go5lze0u4jzw2M5DLqP"
    "qDyywVdwaKb34RwKyYb6AlCw/upYioPh7ymf4WOBbxqFDX0dqh3ECeYy1kO3JPvOOXYco2"
    "tkYr4kUPEk3IysUWsdFaZoKbyQMTtD67FfYC5JY+O7xRQW552w+nrkK7kxijm7Tzo2D32A"
    "0K3E9VM3wrAppsa2PNJj523GZOqVgC/FF1zrJz0obD20lBjkC9OTygnPa/igEVAlSIXoMB"
    "VMiAwB7Q4awrgm3izZjo6FeHS6f3pMBgL2hlVJns7q69uUgI1AgYmTvU4QthxArL1mG2MK"
    "h9tkLKsOXK2g2PSBgIe9bCuRcNVZAH9pHjc2ESuy4TFnJRvEiHPdcyqMPH7P5lii/AUwv5"
    "7pSHh+kdmNz67CRGhcm9G8+6pkliBozP5D6pdyqt4lBa1jLJfiZ5+6QK5p1clYVygLBXwC"
    "wtDjhzNiwxpJbsHLyla3DcfEwqfWfxEUCy7cU8jRWcFjxQRnSEZJDKQ3RN3U2k5BwIORTp"
    "Y8AN6f7xATcE3JBegwHc0IDAHiY39IniFV+wwgQ+Rc2MuuwQjyRqRnRcU7I792OxgPrE42"
    "gu69bJO8oQREc2dtyNgdaE3Mn/XzLqL+Q/MKUBFuPkOnOlnRy/lPXyclRRHw/5TBO/movm"
    "jqoPglYekxs8V+eRwr6255m4MNkIR1IfkV1w0gX3BIeYtNuiDCCdgHTSDPZmpFOY1MUk2K"
    "Ok4XKREx3NKZLB08K0wj8lBti3w34pdnChQxUcnKqCPikFyLdDXuppDWHfigDm7TD32Kwh"
    "5LEEIN4acVOGgTdGfSsFyLeNR50Typuu7EkpQL4d8taCWHeN53xSCpBvibyEh5tsRRprkz"
    "lRGIOWY8CoeK1ZIGueWHHG6yb+mgJxGIt2Y3Eri9qK1zIpKaAIqoYhKwkj8MgREP9ouhfn"
    "ZWEUHjkKzVXRnCiMQbsxUBV1ubkuOiddNQBpOUC/Jc8Tem24aTPaMG4pJwpj8Lh0LivmNF"
    "aL8rIwCi2jWFZ2y0p+aUkIINMlgCzGKBFBFr09BJDp9elBABkEkGk1GBBANiCwBxRA9i7U"
    "ecXUXok3Kkn7n29kVAWPRXq0wCRuXzsXteVioVHY29gr5sXBXDNGAy7zR9+RzXSqAraQT8"
    "QDxFR5wpG4KhtPp6rddFoSN9b5Ez7TcCKq20t8RzjC4TPQCm/U8cTm2auNqugwmfAYIsO0"
    "2XsMBJFh5cMAkWH6R4bts1qKVvOz+yIeUH1tH9YXVF8b3BXdZAHZCowvY3P39UkjdbUFiZ"
    "eWBBJPFxIPToEeyMIGJB6QeHoNBpB4AwJ7eCTeTURWTcopvG0Tow6BF7NfUMpzLPUlgauq"
    "CXj3XJUloLiNsuzVNpUSMiMEuXtzyXbmc8cSr9wI5rTUCIHufjaz2Rdi+c59I8s/JTRCmL"
    "vPZOZj77YoornU/tgJjMn86CybmRtYBZnhXjHmEkyLEY1FMnjOhExfgG6vDOsbeHV9fZUi"
    "SF69zVhq739/9+qNWCnUDBaNHL/Edj606tUDbnnjql/9QSVh+RClSJkUWB6ZFkaV4RGmdD"
    "FXycYPRg18DCgVA4CEbeoT5bXfJoSxMKXMRwvm2qE/3wo8j1BfpXKZRQV/vls7dFvrpyho"
    "oOsHfKa2w32HWjJtMVnKiIHwh6MF5oitKbEN1YHs0HXuiAxKUA+XYQl8iV0X/fbp+v0x1M"
    "U+YL7LqDDG5LHgcMI02PrTQqNxZ3W29+/wMeWX2QrZrSTAm4VXLWUmJ6Rgx5erVcm6kZLK"
    "eqkcsUT+RyyBvDd0J3+fBzTM5TULHFesyvypfN5/TYbXvyRKKf0r3vSP3l38kdUHLq+uX2"
    "U9T7KDV9laQn6he7Z8RLYCegyGfOxoBgP8euDX+9agB78e+PV0AvaA/HrCaJaEKfM++SVu"
    "vUwLo9K4jtua2y2+Xn3ereATjtZC0lti7y40d10sTNwj0QflUUZUR9iuLrFvhTXr2MfCwI"
    "3FpVG79hzfD1W9XIHezp/yWRjtYRB/QtBfYF81IFzdi8TkrSPyVTRyw6D9Utu6rgGt/j/3"
    "4ZVTX3H70bkuz+oQXmflfNfZg65LOT3Mr0139KTUaKy5gVUphWEr4AH3xyWbW3Nzu+I1gz"
    "8vC6MAB+whNrfqgL0mzpYb4gnNpaQA5O5mpRboR82cmlFd8shkbHXIeozxU4Q+Jt0dYk92"
    "2W1AkMORzN70vUxrRqh/HGbLXzDlG+FCQyuq99hhz7XcIHB2UrPFtFypg1Npkf78vI7+/L"
    "xcf36ei91ZyH64Exn8TfattGQH+5Zmp3kOd5uCMyQarWr5TFhFQ1C+mKWlxndMrpslDYjl"
    "fRLL0RztAOCfdz0d1qSuyy6nP+cUtOIV0Pvfr672xTBvjYZPlhi2SZVZEbaoZVtsTC4b1z"
    "QwPqhMf6q8+7YDA8UVtqSyb2NhFPx+c3lsILEBEhvNNknylhXUku+q01pmxe53x1prasTF"
    "k8Dq0Gl/Lrc68iNZc8vOCYIlUsMSkV9GoQlSEh6Mi6D9trK1tMmpCrlUH6vHgzGlwSDszZ"
    "jSDn6wpnTR9w/YmjoEeBuaU3uO15FRUhfWwiH3ZEnU++fMqWwTo8qeUmFJeNe6h3P4lUko"
    "E4+GwyOabYvlNkxAXWbdtfNLp0XBMa0L418naVTma22gIuUlR6gmdZ/dEYwCDYwCiOaHaH"
    "69BgOi+fdsIDwYzV+ya3aAbEa1HynAeX1BNyssSnc2KbHA4tvGg9ZXXBNsYMurPP1/nJMN"
    "DDKt9kWjwiCD1GpQBkB/xxKkmlJrRWf5EJJJbBq46hJS4KxrZxJisWXf0lYEWEYUCLBDIs"
    "CielPtsuVnZCG2WevYZn2qIsAoQwT7+IyZZETczt5sYMFkxEZoxnTvTwAqG6hsvQYDqOwB"
    "gX00le0nijs8EtaCchEjRTizUelEZF8Qz7EWkwIOO7pjVNHXeNdmL5U7ijayb4VwfiSJVE"
    "4l3xMvdlzU1cQSIiPUwk5fvKihholW5fm05b0MgbQqqCBZET6zKiogOQZ0T2plKz+pyFZ+"
    "8qwgbEblccgjXJ6TNCEyfFbS/VjrneUf3Wvukr/+P80/Clc="
)
