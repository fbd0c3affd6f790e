"""A table of figures as the dashboard shows it, exports it and reports it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # How the dashboard writes a value: "number", "percent" (a 0–1 share),
    # "seconds", "text" or "decimal".
    kind: str = "number"


@dataclass
class Table:
    """Rows of plain values under named columns; the first column heads a row."""

    name: str
    caption: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    # Groups of fewer than k people left out (breakdowns only).
    hidden_groups: int = 0
    note: str = ""

    def values(self, row: dict) -> list:
        return [row.get(column.key) for column in self.columns]
