"""What an import did (or, in a dry run, would do): tallies per list, changes to shared
records, warnings and timing, as the command line, the back office and the API show it."""

from __future__ import annotations

from dataclasses import dataclass, field

from superconnector.directory.domain.ownership import Outcome
from superconnector.exchange.problems import Problem
from superconnector.exchange.schema import LIST_NAMES


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    # New to the event, but an organisation or person the platform already knows: linked,
    # not created (their fields follow directory/domain/ownership.py).
    linked: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.linked)

    def __str__(self) -> str:
        parts = [f"{n} {label}" for label, n in vars(self).items() if n]
        return ", ".join(parts) or "none"


@dataclass
class ImportReport:
    event_slug: str
    event: str  # "created", "updated" or "unchanged"
    tallies: dict[str, Tally] = field(
        default_factory=lambda: {name: Tally() for name in LIST_NAMES}
    )
    warnings: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    # Every difference to a field of an existing shared organisation or person, and its
    # outcome (fill, apply, propose, pending, ignored-blank); see FieldChange.as_dict.
    shared_changes: list[dict] = field(default_factory=list)
    # Seconds spent planning (read only) and in the write transaction, and whether the plan
    # had to be made again inside it (something it read changed meanwhile).
    timing: dict = field(default_factory=dict)

    @property
    def proposals(self) -> int:
        return sum(1 for c in self.shared_changes if c["outcome"] == Outcome.PROPOSE)

    @property
    def changed(self) -> bool:
        return (
            self.event != "unchanged"
            or any(t.changed for t in self.tallies.values())
            or any(c["outcome"] in _WRITING_OUTCOMES for c in self.shared_changes)
        )

    def as_dict(self) -> dict:
        return {
            "ok": True,
            "event": self.event_slug,
            "event_change": self.event,
            "dry_run": self.dry_run,
            "changed": self.changed,
            "tallies": {name: vars(tally) for name, tally in self.tallies.items()},
            "warnings": [{"path": w.path, "message": w.message} for w in self.warnings],
            "shared_changes": self.shared_changes,
            "proposals": self.proposals,
            "timing": self.timing,
        }

    def render(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        lines = [f'{verb} event "{self.event_slug}" (event {self.event}).']
        for name, tally in self.tallies.items():
            if tally.changed or tally.unchanged:
                lines.append(f"  {name}: {tally}")
        if self.shared_changes:
            lines.append("Changes to organisations and people other events also show:")
            for c in self.shared_changes:
                shown = ", ".join(c["other_events"]) or "an account holder"
                lines.append(
                    f'  {c["record"]} "{c["name"]}" {c["field"]}: {_shown(c["current"])} -> '
                    f"{_shown(c['incoming'])}: {c['outcome']} (also shown by {shown})"
                )
        if not self.changed:
            lines.append("Nothing changed.")
        lines.extend(f"warning: {w}" for w in self.warnings)
        return "\n".join(lines)


_WRITING_OUTCOMES = {Outcome.FILL, Outcome.APPLY, Outcome.PROPOSE}


def _shown(value) -> str:
    if value in ("", None, []):
        return "(blank)"
    text = ", ".join(value) if isinstance(value, list) else str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")
