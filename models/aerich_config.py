"""For the ``aerich`` CLI only (``[tool.aerich]`` in pyproject.toml): reads the URL from the
environment when aerich imports it. The application builds its config in kingpin/db.py."""

from __future__ import annotations

import os

from models import tortoise_config

TORTOISE_ORM = tortoise_config(
    os.environ.get("KINGPIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kingpin").replace(
        "postgresql://", "postgres://", 1
    )
)
