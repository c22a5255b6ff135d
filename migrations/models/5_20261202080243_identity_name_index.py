from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_player_iden_communi_e35105";
        DROP INDEX IF EXISTS "idx_player_iden_communi_03e2f1";
        CREATE INDEX IF NOT EXISTS "idx_player_iden_communi_87d721" ON "player_identities" ("community_id", "username_key", "platform");
        -- the init migration's inline user reference, duplicated by the named one of migration 4
        ALTER TABLE "jail" DROP CONSTRAINT IF EXISTS "jail_user_id_fkey";"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_player_iden_communi_87d721";
        CREATE INDEX IF NOT EXISTS "idx_player_iden_communi_03e2f1" ON "player_identities" ("community_id", "username_key");
        CREATE INDEX IF NOT EXISTS "idx_player_iden_communi_e35105" ON "player_identities" ("community_id", "platform", "username_key");"""


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
    "RW+t1gsWajWG3lq9XVyLtlbf8PH+5uJsuK291Su/fW72/sinX5a1P7aAsFlPT34qvtCVw4"
    "ugY604v+9TDXIfjsWmnXRmP+3wUdLhk27IqqQgrddBp8/mt2dlv5IaiOcqd4AEp8jY8XEV"
    "MnZ8XEzGRFkSd/SwwNzIX4OMJTXbIWNtDkI7wr10SKqm3Jpyq2ZVaMqtKbeqjaEpt5qUe8"
    "vZzGQcWA7bDuPDipl2GINW5UQ8P6k+MD3X5ca6vRTnvwn9fXCD5uROHKzmgBG/IA5YGy1l"
    "Un1paS7Bn2SUTV62kRprUXzN3pUZ7Psl7F10gbUs3oRiBw3eHTFwK/Ealw+ekKI1Wjmpqd"
    "mr2q0MaV48RMn5dCuNznmBmslxr5miZorfGPSaKWqmqDiuijLFW5EJb85f8BZR6r96hjVm"
    "ZPplDJKG0gb1xZsPz9e0TUnaxjCza622rhQ6Z+k1Eny5lSPolI5xbezk8joQx1Q6iHATx8"
    "1x08Bdb0kzqak9PEpzf8QhXKeR43qtpMvSzp31Gjj8Gkf1Nl4ktPTUX2nfhXbyaE+Doo3R"
    "Vt6aJmmx3H9+Cpk5/Y+HJKgZVpwW6ZeRYn/r8EhIG3+txCsdGOWSe3GkkziwiT3n0vhOnF"
    "8uqwJj26NTZIGxS+bgBlmYvgWY0aAUW2AOZ8g/6VyKZpZcN32Dzw620HxBGH/dimdHafKu"
    "JHn3+2q9I7fjOpuZx7fbEIl5/OSowjR+clQ4i4uivDNDappKgUaLZhIf1WyMwodp3FqqZC"
    "yV2EqZqGg59NbNGJ7S6swe+I3lCvdDdWrjmlbTwKaB3a347lbH426Fd2eoxHZM3Q8uEeci"
    "IKswIVNKotTQXYSydVIz9X51MeMmowj3E6Yk5ffnsEGHCnNUnGVKAXSArPE7CtB4jEz2Ro"
    "qKyWn5nHKrE1jI8hbZqMIN110pvjDuZfdnEh1suCuG71ZWVVTj8E0vq6w+ihogx3W6CHIT"
    "Kysz/mp1MA7lO4jv5pObRXNdfVstrautNcWttWQQq2DEOcy9OKtXTKULi8JljdlESq+teK"
    "MUw7xpd5ReU9JrSqo2RhfWlFa5tHModjzPdjG59hN724FYswmPdVZjJceKfglz5Z2BuMY6"
    "/DWr2bkwjM1zWB80+as21KFW92BuYkuT76mriXLr+XNbM/02n7HJQgxiO4fQ/Hx7fZWPcE"
    "wlzV2xycD/gI1pY2Zf719jz/HdtyMP2ww7dF/c9t9NdfISwAVE5XwnTW36SUIqKkjznd1a"
    "BGr3W+iuX8GfG+oaUXGttZiXajx3Kzs2NftVoBFWyf/qtUBCTX8C2vegsO8hM95vAN2KW2"
    "cV6+RVcY3PbwlM+QOAq4+Xl72cMUSj+giqiTGzANbt+MlOCTsjzhjnOsqiwn6Zp2xERPDe"
    "Sq7hjNHizJAnRXd8Kw6yJwbJFbu+ap718pRDXlSbnlrwv9xB28txchU7B1YK7bsGtrPo2Y"
    "gTwFtYazoBkpraCaCKEyBnF2XOYcmaiGoqpGZjdGEZ9h2mJnGtQbDR7SzI1pBjaxZIlhqe"
    "lq9jhPvojCAbRMVA6OAeFNxPCUVgjijlb0HBHkMP7JnIerrgIw3iHQzs3RFsomdAbqUQUc"
    "wiZFkcivsdlVv5spHQm65c7+1TeDQrs5YnHuY11Yumius0ZTdvb3Pfy8MKVvPLw0KjWRTl"
    "Jo6piXJSq3N7KDcPs/oBzj0xuja1LpmEt0oAeXH4eCZ4XFui2hJVtTE6ZIneIvcOucUuzz"
    "yxSjYolRqN+UG1rafKeKG+rddpG2SMkGWsZ+/lqHZvq8LmEeeDnuESG9VEO6WmkX4c6YWL"
    "xvjBCM7BzIkQPCUcUOgU7XLLaKdAH3H1psyPcIxpdyng9Pr6MuFqPr1Ib3D6+P70/GbvQD"
    "YDF8IsMZbrBQC9AKBpl6ZdKjZGF2jXJXZmZ/zPXg7XWpX1ywiWzaU4Bhaq6NUfAOKg52Kk"
    "BULLz6b3D1HLG/AnwY7vXoem721nUyhc7jNkAUZkCdcOrjr0Hrk07+i0Bu5QKfZF3E6nNl"
    "FnEOuXcEEz6NmVvdGBfBfjZDa+HUznjWkRZKPwgKXHwTaKz1nqBOhN5JHR+5GK0d9NJlJl"
    "P5I8WhXRdVL2JzS7l9xmRxo5h25mW9lbL4ORt9HkRYq51brUvgvkWOI4rrUMlBzd7rlNG7"
    "BTAtzWMVOyqh1EvAkjJUSubkqGtF4H4W5iV0AI2xrJ7xKaevZQefbQ3mgF9kXr44T1QoBa"
    "jdHcpmh9nHAVXBU9TvhDwBOGZIacXl4u+YRAvzSVfOivY0K24lLL9cBjU+BrABvfoTDvu3"
    "CKj6BQcQgTF8fYRvSt3IsouggFLhrzeXMqpOdgilyUXWbZeO25SyxxshUs2ej88UpNEP2S"
    "RRa9DtBK7r3VZ1ED5qRWF4FuglaHqNXPdJjU07kOq+U6FHnh/Tkvi3ZxgvG0Xid6dxmRbi"
    "LNeDBJ10c/o9gFH1Lb6FOTLPKy6hfnmYg01MhBKe7XmRyUCq3+7dCHsWv+PR1jXDzb7+bK"
    "flGMccartR0XwQC52Jz28pLg+yX90hT4kYwym9m+FWLdWPauO+TSmgm+YyqdsHRTp+AeH1"
    "dgFlyq+BxcUZZiFvyjqoFwIN5BdBvhbfyODOUdhVtsvcZUdJ60mobqViezr/8HogWtVg=="
)
