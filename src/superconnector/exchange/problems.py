"""Problems found in imported data, each tied to where it was found."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input. `path` is a JSON path ($.participants[3].email) or,
    for spreadsheets, 'row 7, column 電郵 (email)'."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ImportRejected(Exception):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        super().__init__(problems)
        self.problems = problems
        self.source = source

    def __str__(self) -> str:
        noun = "problem" if len(self.problems) == 1 else "problems"
        where = f" in {self.source}" if self.source else ""
        return f"{len(self.problems)} {noun} found{where}; nothing was imported"

    def as_dict(self) -> dict:
        return {
            "ok": False,
            "source": self.source,
            "problems": [{"path": p.path, "message": p.message} for p in self.problems],
        }

    def render(self) -> str:
        return "\n".join([str(self), *(f"  {problem}" for problem in self.problems)])


def json_path(loc: tuple | list) -> str:
    """('participants', 3, 'email') -> '$.participants[3].email'."""
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path
