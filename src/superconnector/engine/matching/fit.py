"""Compatibility tables: how well an offer's category and organisation kind answer a need.

The figures are data (engine/data/fit.json); keys are vocabulary codes.
"""

from __future__ import annotations

from collections.abc import Mapping

from superconnector.engine.data import read_json

FitTable = dict[str, dict[str, float]]


def _as_table(raw: object, name: str) -> FitTable:
    """A nested {code: {code: fit}} table, checked as it is read."""
    if not isinstance(raw, Mapping):
        raise ValueError(f"fit.json: {name} is not an object")
    return {str(key): _as_row(row, f"{name}.{key}") for key, row in raw.items()}


def _as_row(raw: object, name: str) -> dict[str, float]:
    if not isinstance(raw, Mapping) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in raw.values()
    ):
        raise ValueError(f"fit.json: {name} is not an object of numbers")
    return {str(key): float(value) for key, value in raw.items()}


def load_fit_tables() -> tuple[FitTable, FitTable, dict[str, float]]:
    """(category fit, kind fit, deal fit) from engine/data/fit.json."""
    raw = read_json("fit.json")
    return (
        _as_table(raw["category_fit"], "category_fit"),
        _as_table(raw["kind_fit"], "kind_fit"),
        _as_row(raw["deal_fit"], "deal_fit"),
    )


# need category -> offer category -> fit
# need category -> kind of the offering organisation -> fit
# for an investor's need for deals: kind of the offering organisation -> fit
CATEGORY_FIT, KIND_FIT, DEAL_FIT = load_fit_tables()
