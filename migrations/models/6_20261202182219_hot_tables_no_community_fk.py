from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

# Written by hand: aerich does not handle db_constraint changes. The hot tables keep their
# community_id (and its index) but not the constraint: with it, every row written took a
# FOR KEY SHARE lock on its community's one row (docs/architecture.md, "Hot rows").


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "cooldowns" DROP CONSTRAINT IF EXISTS "fk_cooldown_communit_509b01eb";
        ALTER TABLE "game_events" DROP CONSTRAINT IF EXISTS "fk_game_eve_communit_0f0a6904";
        ALTER TABLE "jail" DROP CONSTRAINT IF EXISTS "fk_jail_communit_a5c04fe7";
        ALTER TABLE "processed_events" DROP CONSTRAINT IF EXISTS "fk_processe_communit_8dd888b4";"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "cooldowns" ADD CONSTRAINT "fk_cooldown_communit_509b01eb" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        ALTER TABLE "game_events" ADD CONSTRAINT "fk_game_eve_communit_0f0a6904" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        ALTER TABLE "jail" ADD CONSTRAINT "fk_jail_communit_a5c04fe7" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;
        ALTER TABLE "processed_events" ADD CONSTRAINT "fk_processe_communit_8dd888b4" FOREIGN KEY ("community_id") REFERENCES "communities" ("id") ON DELETE CASCADE;"""


MODELS_STATE = (
    "eJztXW1z2zYS/is4fakzo7ixYzu55OZmZMdt3Tp2zlaunSYdBiIhCRVFqARoW9PLfz8AJM"
    "V3mpRFCmLwJbGIXZB8AAL7LBaLv3tzYiGb7p+R+dxzMFv23oC/ew6cI/5HtrAPenCxiIrE"
    "BQZHtpQ2AzGM5HU4osyFJuNFY2hTxC9ZiJouXjBMHH7V8WxbXCQmF8TOJLrEa/nLQwYjE8"
    "SmyOUFn/7gl7FjoQdeefBzMTPGGNlW4pGxJe4trxtsuZDXTvHkwmE/SFlxw5FhEtubO5H8"
    "YsmmxFkpYIeJqxPkIBcyJO7AXE+8gXjA4H3Dl/IfNhLxnzKmY6Ex9GwWe+OREV3rGcbV9d"
    "C4PR8aRq8GRiZxBL78UakEYCIe4fk/Dw9fvnx1+OLlyevjo1evjl+/eM1l5fNmi1599R8m"
    "QsuvSmJ28ePF1VA8EOGN6DewuPBV6kAGfS3ZGBH61PYmWfzPptDNRz+UT+HPXyyNf4i2ug"
    "0whw+GjZwJm/KfJ0cl2P53cHP20+Bm7+ToWRLgq6DkUBYJqCNo5f81oA3lNwNteCHCNvqm"
    "V0D2WoH28MWLCthyqUJwZVkSXdNFAg0DsizG73gJw3OUj3NSM4W2Fajuh380hX2THZu/oH"
    "Xt2MvggyoBf3jx/vx2OHj/QdxuTulftsRvMDwXJYfy6jJ1de8k1U6rSsCvF8OfgPgJfr++"
    "OpfwEsomrrxjJDf8vSeeCXqMGA65N6AV+/bDqyFqX8XMMZ7FRi9xYQTN2T10LSNREuseU+"
    "g4wXyXmlsCzR9+uUE2lNhmu0F6Hj3zq9vBzvA17P7h1bBTCBTJISnCNVs0P5ynr0AHTuQr"
    "iXuLOxXhVmajxLB93FRZGvGWfdRi6Q1AIA8gWNUByL1D98GXL0GZga0vXwCm4H4KGeAGDF"
    "jwnjEm7vw7CtAd4lACE7ruEkAqirEckePYN3Wfz05Y7d7wHjNzCkYugZYJKUMu8Cj/B1t9"
    "8As2Z3klgOtM5Y2wJWsENublvAN/dqg3EkiNEAXY4c/IOzCy+ePthc9Ev5/xar8P8d5fLJ"
    "/1wTtMTeJaYOJh2xJ34JKyYnnhM39riuwx4BfhCpFAiheBMUIWgI4F7gg2UShB+7IK0UeJ"
    "jTgWoaboMs/efna+fHF5gY8dL2N9vyJeqaxnv5dvgn7qhe8iBKJG6P2RMk4/xfpXYF+Gin"
    "9ow1VJwzXeslUtrLhOe1ZWaybswUkFM+sgPXtHVpYoShlZ0SdTA+akVheBPnxdBenD18VQ"
    "i7Ik1mKEq4NyKN8iXRBDbzuUoQq+xehmsJVzWx1wVwqajGkypslYRMYSrZ6ymaqbQhlr61"
    "GjaBdaujW7KMOIc9ok2yA/EBfhifMLWspGueAPDx0zbw7J8yLvWGMU0V5+2YX3K2s+0xM5"
    "CvzdEfPnh8Ht2eDdee9rscehSRb9wYZL5F5YnBcW+PlTEv0yBr2Qsvw1pXBVl3/v2olYKo"
    "CmSTyHATLm9M6v8A0IalwKchbntBE9dTi39VmieP79DHlu6B65jLCQ6MX+NkSt1XiikBQ3"
    "NGZoqXmjIuNjX/PG7fLGzIe0Bthx3S6C3gSHDEejOnjHdbqIcyW+c1DCdw6yfCc96tfFej"
    "VbaLwr4a35ZTH63eWX3sJas9WTmrrVVWn1EKNYswdPr70KCljNyQmuNv7FBpuGvhx67dBp"
    "2aGT7usbAPdjUE1HcY193Cr5yCTqOZ6xsDWK/WHiher4wLg0cQA0XUIpgLa98kHRfXAKbd"
    "E5/MCFCQKEz8wg9Dv5QRgQ2Mia8F8uuS/wgG36Do8H5Wb9WTYeS5vIuEfQZlMDQdfhuHO9"
    "rOzDIv/6HFHKW4saFPHupB1hajrCtK+gHe5qYSq82EZdrNN6a+EddOtvCG5/3Ko3sEQ67d"
    "mtLzowuESo86mgFuK+vEZ7PbRtdJcXzlKI9kq+PcAPmgX88ODo1dHrlydHK5xXV8rgzULJ"
    "rXrmUYPhPA5Qsg0mqdZilNAHz5n1Whmej6uMzsfFg/Nx1o07ReYMOwa/J4KzGh04q9iZoW"
    "NjPdmGlBkhUMK1me80LYp3y1Eu85vunu1RAqZwe6bQZIRB25AGmAxHqNFZ81R1d01313vs"
    "5GzOKTbRAnENZOa7J5SiOlBGChrMNJguGdX+3hM6GtI8SKlnmojStaDN6GqI0xAnHW4ZeM"
    "uIWEa1M+i2zcnyHae1GqO4Dt0qa7aKb9dCZrhILjbUjyUoqGIDQQW7YyArHkOQszVBBwx1"
    "LHREBwx9i61eJWBIDtAUIWetkT1U1G2uSpvrrWcKG1c6UkmZrWfxQIr4nq7Ut1Aj3U12O1"
    "lHoE+MHRMRgO9nW3kaXD/yis7v0E6OGJWQMgmxLZHD5mk4nQXVdBWmPyHOWY2tg9DPQQ1d"
    "RAd6FmYG/0rcJ49PA1HVJZnsLLeughSD7gQ9dWjqOFI2dmZcxHpqh7rk9ZzxP7v07TUZbR"
    "vNeDkht4npsDjuNjX9Npp09lM8bDnm2ckNW42X65hVJWNWZbfxYcy0QnGwTlKrg3GrR1Ui"
    "dY6KI3WOCqIoBR9hsF6HT2vqlYt1IyrXQT+upZFfD/n4w2bAH6KHAuhTah1IHFbmLzz/bZ"
    "hwFYaDyd77wW/PEu7Cy+urH0Px2OBzdnl9mo7FJJ5r1t5Tn9TqXpS8TtimveYJOe013+np"
    "RW+t1gsWajVGnishfAC9t7qFlaCivdU3fMC/uTgbbmtz9cpxn5u+P3Lql6Xtj60gbNbVk5"
    "+LL/Tl8CLoWCvS7ztVg+SHY7FrJ53aT3t8lPT4pBuyKitI63XQ67P5/VnZr6QG4rnKHWDB"
    "KTZ2fFyFjR0fF7MxUZbEHT0sMLfy12BjSc122Fibg9COkC8dk6o5t+bcqlkVmnNrzq1qY2"
    "jO3SKwO5TPTEaC5dDtMEKsmGqHUWhVzsTz0+oD03Ndbq3bS3ECnNDfBzdoTu7E0WoOGPEL"
    "4oi10VKm1Zem5hL8SUbZ9GUbqbEWx9f0XZnRvl9C30UXWMvkTSh20OLdEQu3ErFx+eAJKV"
    "qjlZOamr6q3cqQ5kVElJxQt9LonBuomSz3mipqqviNQa+poqaKKgG7Q1TxViTDm/MXvEWU"
    "+q+eoY0ZmX4ZhaShtEF98eYj9DVvU5K3MczsWuutK4XOmXqNxF9u5RQ6pcNcGzu8vA7EMZ"
    "UOItzEiXPcNHDXW9RMamoXj9LkH3EI12nkuF4rGbO0d2e9Bg6/xlG9vRcJLT31V9p6ob08"
    "2tWgaGO0lbqmSVost6CfQmZO/+MhCWqGFadF+mWk2N89PBLSxl8r8UpnRrnkXpzqJM5sYs"
    "+5NL4TR5jLqsDY9ugUWWDskjm4QRambwFmNCjFFpjDGfIPO5eimTXXTd/gs4MtNF8Qxl+3"
    "4vFRmrwrSd79vlrv1O24zmbm8e02RGIePzmqMI2fHBXO4qIo79iQmqZSoNGimcRHNRuj8G"
    "Eat5YqGUsltlImLloOvXWThqe0OrMNfmPpwv1Yndq4ptU0sGlgdyvCu9XxuFsB3hkqsR1T"
    "94NLxNEIyCrMyZSSKDV0F6FsnexMvV9dzLjJKOL9hClJ+f05bNChwhwVx5lSAB0ga/yOAj"
    "QeI5O9kaJiclo+p9zqBBayvEU2rHDDdVcKMIx72f2ZREcb7orhu5VVFdU4fNPLKquPogbI"
    "cZ0ugtzEysqMv1odjEP5DuK7+fxm0VxX31ZL62prTXFrLRnFKhhxDnMvTuwVU+nConBZYz"
    "aR1Wsr3ijFMG/aHaXXlPSakqqNseHw1e0w7VU+7RyOHc+1Xcyu/eTediDWbNJjndlYycGi"
    "X0JdeWcgrrEOgc1qdi4OY/Mk1gdN/qoNdajVPZib2NTku+pqotx6Dt3WbL/NJ22yEIPYzm"
    "E0P99eX+UjHFNJk1dsMvA/YGPamN3X+9fYc3z/7cjDNsMO3Re3/XdTnbwEcAFROeFJc5t+"
    "kpGKCtKEZ7dWgdr9FrrrWPDnhrpGVFxrLeqlGtHdyp5NTX8VaIRV/r96LZBQ05+Adj4oHN"
    "CaGe83gG7FvbOKdfKquMbntwSm/AHA1cfLy17OGKJRfQTVxJhZAOt2/GSnhJ0RZ4xzHWVR"
    "Yb/MUzYiInpvJddw0mhxbsiTwju+FQfZE6Pkil1fNc97ecpBL6pNTy34X+6g7eU4uYqdAy"
    "uF9l0D21n1bMQJ4C2sNZ0ASU3tBFDFCZCzjTLnwGRNRDUVUrMxurC37x2mJnGtQbDT7SxI"
    "15BjaxZIlhqelq9jhBvpjCAdRMVI6OAeFNxPCUVgjijlb0HBHkMP7JnIe7rgIw3iHQzs3R"
    "FsomdA7qUQYcwiZlkcjPsdlXv5sqHQm65cb+5TeDQrs5YnHuY11Qunius0ZTdvb3ffy8MK"
    "VvPLw0KjWRTlZo6piXJSq3ObKDcPs/oRzj0xuja1LpmEt0oEeXH8eCZ6XFui2hJVtTE6ZI"
    "neIvcOucUuzzyxSjYolRqN+UG1rafKeKG+rddpG2SMkGWsZ+/lqHZvr8LmEeeDnuESG9VE"
    "O6WmkX4c6YWLxvjBCI7CzIkQPCUcUOgUbXPLaKdAH3H1psyPcIxpdyng9Pr6MuFqPr1I73"
    "D6+P70/GbvQDYDF8IsMZbrBQC9AKBpl6ZdKjZGF2jXJXZmZ/zPXg7XWpX1ywiWzaU4Bhaq"
    "6NUfAOKg52KkBULLT6f3D1HLG/AnwY7vXoem721nUyhc7jNkAUZkCdcOrjr0Hrk07/C0Bu"
    "5QKfZF3E7nNlFnEOuXcEEz6NmVvdGBfBfjZDa+HUwnjmkRZKPwiKXHwTaKT1rqBOhNJJLR"
    "+5GK0d9NJlJlP5I8XBXRdXL2JzS7l91mRxo5h25mW9lbL4WRt9HsRYq51brUvgvkWOI8rr"
    "UMlBzd7rlNG7BTAtzWMVOyqh1EvAkjJUSubkqGtF4H4W5iV0AI2xrZ7xKaevZQefbQ3mgF"
    "9kXrA4X1QoBajdHcpmh9nnAVXBU9T/hDwBOGZIacXl4y+YRAvzSXfOivY0K24lLL9cBjU+"
    "BrABvfoTDxu3CKj6BQcQgTF8fYRvSt3IsouggFLhrzeXMqpOdgilyUXWbZeO25SyxxshUs"
    "2egE8kpNEP2SRRa9DtBK7r3VZ1ED5qRWF4FuglaHqNXPdJjU07kOq+U6FInh/Tkvi3Zxhv"
    "G0Xid6dxmRbiLPeDBJ10c/o9gFH1Lb6FOTLPLS6hfnmYg01MhBKe7XmRyUCq3+7dCHsWv+"
    "PR1jXDzb7+bKflGMccartR0XwQC52Jz28pLg+yX90hT4kYwym9m+FWLdWPauO+TSmgm+Yy"
    "qdsHRTx+AeH1dgFlyq+CBcUZZiFvyjqoFwIN5BdBvhbfyODOWdhVtsvcZUdJ60mobqViez"
    "r/8H6Ieugg=="
)
