"""The engine's data files (JSON, shipped as package data) and their typed loading.

Data lives here rather than in code so that it can be reviewed and changed as data; the
engine version (matchmaking's engine_version) hashes these files as well as the code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent


def read_json(name: str) -> Any:
    """The parsed content of the data file `name` (e.g. "glossary.json")."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
