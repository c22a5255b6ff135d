from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "link_codes" ADD "pending_platform" VARCHAR(16);
        ALTER TABLE "link_codes" ADD "pending_name" VARCHAR(100);
        ALTER TABLE "link_codes" ADD "pending_user_id" VARCHAR(128);
        ALTER TABLE "link_codes" ADD "pending_at" TIMESTAMPTZ;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "link_codes" DROP COLUMN "pending_platform";
        ALTER TABLE "link_codes" DROP COLUMN "pending_name";
        ALTER TABLE "link_codes" DROP COLUMN "pending_user_id";
        ALTER TABLE "link_codes" DROP COLUMN "pending_at";"""


MODELS_STATE = (
    "eJztXetz2zYS/1dw+lJnxvE48vPSm5uRHSd161g5W7lmmutwIBKSEFGEQoC2NW3+9wP4kP"
    "gAZJIWaYrGl0QGdkHyt3jsLhaLvzozYiGb7n2y4QK5lxZyGGaLzlvwV8eBM8R/KCh2QQfO"
    "56t6UcDg0PZZ5j6tgQNijPxaOKTMhSbjBCNoU8SLLERNF88ZJo5g6zsIcFY2Iu4MQNMkns"
    "MAGQEIggbfgrDFBcAUsEmM2qPI5bW7wEF3/JeoE++/Jx5sEZM/GTvjCp/hOfi7hwxGxoiX"
    "u/xJX792Ik5BEP02RCscmc6ff/JS7FjogcOTIRdUonFjihYB6XxqjDCyrYRseDu8yi832G"
    "Lul53h8aXD3vu04uuHhklsb+as6OcLNiHOkgE7TJSOkYNcyJB4AnM9IR/Hs+1QppHIgg9d"
    "kQRfEOOx0Ah6tpCy4A5eYFXWMYzr/sC4vRgYRifTAyKOmMDCIpM4ovfwV6U+AGPxCq//2e"
    "0eHJx09w+OT48OT06OTvdPOa3/vtmqkx/By6zQCpryMbv8cHk9EC9EeBcNOrEo+OHzQAYD"
    "Ll9QK/TjAkvK4HwCXbkEEn0iKQf+gWk5RKivE0RUsJLEanjVIYoZfDBs5IzZhP/55ngNyv"
    "/t3Zz/0rvZeXP8Kgn1dVjT9asE6FmQlwOnBNhx3jaC3j3Ng3r3VA27qEviHs1ARfCO87QR"
    "5/39PDjv76txFnVynP2ZvgTWEV9VeNc6rVcPt+kiAYcBWRbsd7yG4RmSA57kTMFthax70Y"
    "9t7Oz8A62+Yy9Cqa8Bf3D58eJ20Pv4STxuRul328evN7gQNV2/dJEq3UnP+stGwO+Xg1+A"
    "+BP80b++8OEllI1d/4krusEfHfFO0GPEcMi9Aa1YB41KI9SSg2xulZR6klNLvSlSjzCKiT"
    "18++TUKtUY1qnIalVBoidvg3xrU5WFlTKaSjVlAWpWDO+Ji/DY+Q0tfFFc8veGjinTHkIb"
    "9HPYzJaJ4EfUx6LS1azlwvulWRfvevzb+RcjFigBvdvz3ruLjo/wEJrTe+haRgJqUUO6JF"
    "WypM1WzbqzdAl04NgHR3yFeOc46hKPQCQNtR9AfFAR259TE4db5S6hFEDbXtredA+cQVt0"
    "DgrMCXTGCBA+ZYHI3gb3mE24DW8ja8z/csm9wvLf9BMkdn/GrrfxyF8cjHsEbTYxEHQdjj"
    "On+9p5mAf/B1Xa0m+opa+NoXq0cwtT4YYzimKd5iuFd9itXxDc4axTaGJZ8dSnHu23YHJZ"
    "oc7n/EKIB/Qa7XJo2+gO2VnAlWgv6esD/E21gHffHJ4cnh4cHy5xXpasgzcLJVfPmUcNhm"
    "XKvHpyTrHVtxZ2PnnOtFPL9HyUZ3Y+Uk/OR1lH1QSZU+wY/JkITgt04Cxja6aOjfVkG1Jm"
    "REAJ543cLaSYIWTM6zxD26d7rAFTOHZSaDLCoG34Cpi/n1qgs8pYdXdNd9d77NACoEbkGs"
    "jMuOdmPyoC5YpBg5kG0yXDwuM9waMhlUFKPdNElJaCNsOrIU5DPOP4wDGiBkUyeNcZYhnW"
    "1qBbt00m94gWEoa6DS2VklIJ9FrIDBf5uwbFd0sVTWxg23R7FOSG75JmN8d1SIR6IG7n5r"
    "gOiXiJUs8TEuFP0BQhp9TMHjFqmTdF5qqRnonFUIcOxPeY4/H6KVUs5H3/2w2yoY9utiMo"
    "jwpsWWdQBWwkhtJYBF+iOyR4ngTXB97QxR3ayuiiXEiZhNgWuZf5sIrgdB4201aYoGdhZv"
    "B+4D55BPZEU1dkvLWKdR6kGHTH6KmDr+VI2diZchLrqR3qirdzzn+2aewViplbQfoNYsl+"
    "cgRm30EDwv95HNJfw3Za0usKBhWuFj1JZGFiRVSHF6ZW4EeDDNUfmSeMLxadGbN7dcReMy"
    "P2/G4RwJiRgjpUIcnVwqi9wzxxCofqOIVDRQyZiFZmsFiHT3Nqv23ZeLIy6Me5NPLlkI+/"
    "bAb8AXpQQJ9iqzEgqlOtViD1llx8GSQcJdFksvOx9+VVwlly1b/+EJHHJp/zq/5ZOhKNeK"
    "5Z+Mhkkqt9McLdXDHC3TUxwt1tPzBZq6LTLpehPjmnT841TQRPPTl3wwfCzeX54LmOzi1d"
    "lhIjN+7OVNu4Cd/pZi3cpElLZvwrrKXtEzjXwhQ+IxG6nU5Yow3fRhq+aUHmVY7SfC00fj"
    "cfpJ8dJQUQlzK3wBhIKaVHR3mU0qMjtVIq6pK4o4c55tpOCaU0ydk+pXRLlFAdmKRtD217"
    "NEGX0LZHO7N2+NuLErMj2nZUmxzRBufjSTt6YdJMYHquy7UYewGwAwT/HrhBM3KHLEAcMO"
    "QFgLhguPCTZvpL8AJ8I8Nsko6NtPj4bp62XRppuwg5l1rvE4wtXO63ZHnPpdW5fIaEFJWQ"
    "cpJT6+7NljKksl0xtTm84midDVxZ4tDn15NfyKpVIJ46q9Q9plFHMWMV69PPKqpqtOknac"
    "i3IkHGjL/0LaI0+JyMtpyhWas504jaoAF59XFpWpNtpCbLMLMLud+XDK1b/CqJSniW1PuN"
    "Dv7YfOZ9kQbTkeXOWrOJtGJpIcJVpNnni71bzsed5NRGb6PNIcQhLCPkOF8tp+i1vVtOwN"
    "FoHBaLSExw6aVftfQ/yfzanMXgn0k5g8yc/MdDPtgZgyFNstZeCI4bDAW18X1JnitXtkvu"
    "RTZrkauavebU+E5cWeU3BUa2RyfIAiOXzMANsjD9GWBGw1psgRmcouByK58044Xf9AP+52"
    "ALzeaE8c/VHvpttmuCvlrsFqY4z2amuOcVRGKKOz7MMcMdHyonOFEly7JacBUJOWpcQfis"
    "ZmNk1bWQ5FpH1iwjmQgif+otmmMtxdWaczMby64W3vxYFNc0mwY2Dex2xULpYxh1ZG6pUt"
    "X95BKRSRJZykPaKYq1iu48oi1yXLvzu4sZVxlFBIhQJSl/PocNOlSoo+IaFwqgA/wWf6IA"
    "jUbIZG99UrE4LV5TrnUCbj9782ygyYbbfvT+12DlkNz7qhXdRiq6+m7XGjzMy0FRAOQ4Tx"
    "tBrsLJPOWfVgTjiL6F+G4+AcJqbSuum6V5tXamtbM82tkya5VEL4tntFJrZEEKLTsk0xEK"
    "L07B4eImrlFGzclytm7jYvOqTgBa0Xvtklztg7mKuMjAgCuIcu2pWGpTeDZ/6NVCDGJb4q"
    "H+9bZ/LUc4xpJWcbDJwN/AxrQyF1/nXyPPCaz6oYdthh26Jx7776o6+RrABUQJ9SaTDSed"
    "+Calt4gG0tlwtG/whWif2QWlqA4V5yrlZG9ahNaz5P1antwvBn6CTaP/pPj71EDICqKqY6"
    "oNE0HeuPr4wE8E1vMXANefr646kh6uUX0E1cSIVsD6PB6CM8LOiTPCUhfBqnJ3nY9gSMRe"
    "95KuMU6Cl+IheOLmsdr2L5g38SkJExsGbPXm5x20PYmNr7aNlgz1W0bPE9tbiQ2krzNSd/"
    "rtNIIkYdfLRPMNcMG/w9QkrtULI2PPw5MvktVWQbl26bUCHiMKvDXCkzU5IyfCZ1BwPyEU"
    "gejiSrDD0AN7JTJnzLkQENfcwM4dwSZ6BfzYKxH2IGIcRGb9n6gf+5sNndh043oLocGG1z"
    "o1Yuxh3lKx7fs4T1Xe1ufTKA66ORSKg65SnxBV0kN4BVFOcrVOcds8zM2PkOiI2bWebZk8"
    "ESjq+JPTBh3YCZfeW+TeIVdtD8vIci3P1OdopJGsl8GXtQy2enoeIW6glVsKJaztO5q+ec"
    "T5pGe4xEYF0U6xaaQfR5obSyP8YIT5t2X39BEOKHRUEYQZ7hToQ85elVISzTH1OpDO+v2r"
    "hIPi7DJ9Z8znj2cXNztvfDFwIswUO3nabaTu99ptVIFGurxIU6KGxi/ZVOueySs98yRpJQ"
    "56LTohEFzBoe1/iFbegm8EO4FTBpqBj4ZNoHDUTJEFGPFrOHdY6tB75FJZ0tYKnqDV4S1V"
    "h82wB+f2VYT0rVODNx9Eqg8l1QiyoUyw+TjYhjrPZitAr+KQ0nZFMWpV7HFVLE8Yo77JpY"
    "QB1CQhS/TtrJS9csfjvI2ejGuYX6FN8p0jxxJpb0spKBLe9vmNKtBTQtzKqClZ1hYiXoWS"
    "EiFX9CBXmq+FcFcRTBfBVuJkdYJTrx5NXj2acZPBc4+mJpyl0Dd+5Yn6b+iNX59CBWpApk"
    "h6mUGSYHdtwqbIkcEEbU5Pc7/nsQkIOICN71CUXUn4CodQsDiEicIRthH92Y9tFl2EAheN"
    "+IQyEdQzMEEuynqZN976ozmbQo+1ztrUqOlrd43vWTtIa0llsBwWBWBOcrUR6CrsjQi14o"
    "kjknw6dUS+1BEiG1Ow5mXRHqAH5anqJF8revc6C+PiyyBhXGRO8CwNjKv+9YeIPH2sJwl+"
    "uEgXRz/D2Abjum70qUnmqFBOjxVHM1J6iOe1JqVHg7ZFtmhgbJ3jQ0eftWzLs+HRZz3kYn"
    "PSkWUNDGp21+YMXNE05pjDSzGsK8sFcIfc6GLLvMZFjKUVmm7qromjoxyWBadS3zYh6lKW"
    "BR9UBRAOyVuIbiV2G38iQ7ILJ9Taa4xF510oqKg+62L24/9VQIc4"
)
