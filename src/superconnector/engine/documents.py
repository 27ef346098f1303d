"""Engine inputs from an exchange-format document (a plain dict), for scripts and benchmarks."""

from __future__ import annotations

from typing import Any

from superconnector.engine.matching import Opportunity, Organisation
from superconnector.engine.text import detect_language


def organisations_from_document(document: dict[str, Any]) -> list[Organisation]:
    return [
        Organisation(
            key=o["key"],
            name=o["name"],
            kind=o["kind"],
            region=o.get("region") or "",
            sectors=tuple(o.get("sectors") or ()),
        )
        for o in document.get("organisations") or []
    ]


def opportunities_from_document(document: dict[str, Any]) -> list[Opportunity]:
    return [
        Opportunity(
            key=o["key"],
            organisation=o["organisation"],
            direction=o["direction"],
            category=o["category"],
            title=o["title"],
            description=o.get("description") or "",
            sectors=tuple(o.get("sectors") or ()),
            regions=tuple(o.get("regions") or ()),
            language=o.get("language")
            or detect_language(f"{o['title']} {o.get('description', '')}"),
        )
        for o in document.get("opportunities") or []
    ]
