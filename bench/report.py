"""Aligned text tables for the terminal and the same tables as Markdown for docs/benchmarks.md."""

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

_NUMBER = re.compile(r"^-?[\d.,]+[x%]?$")  # right-aligned: 12.5, 2.25x, 18%


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    notes: Sequence[str] = field(default_factory=tuple)

    def _numeric(self, index: int) -> bool:
        cells = [row[index] for row in self.rows if row[index] not in ("", "-")]
        return bool(cells) and all(_NUMBER.match(cell) for cell in cells)

    def text(self) -> str:
        widths = [max(len(cell) for cell in (column, *(row[i] for row in self.rows)))
                  for i, column in enumerate(self.columns)]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(cell.rjust(width) if self._numeric(i) else cell.ljust(width)
                             for i, (cell, width) in enumerate(zip(cells, widths, strict=True))).rstrip()

        rule = "  ".join("-" * width for width in widths)
        body = [line(self.columns), rule, *(line(row) for row in self.rows)]
        notes = [textwrap.fill(note, 110, initial_indent="  ", subsequent_indent="    ") for note in self.notes]
        return "\n".join([self.title, "=" * len(self.title), *body, *notes])

    def markdown(self) -> str:
        align = ["---:" if self._numeric(i) else "---" for i in range(len(self.columns))]
        rows = [self.columns, align, *self.rows]
        lines = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        return "\n".join([f"## {self.title}", "", *lines, "", *(f"- {note}" for note in self.notes)]).rstrip()


def write_markdown(path: Path, *, header: str, findings: Sequence[str], tables: Sequence[Table]) -> None:
    parts = [header, "## Findings", "", *(f"- {finding}" for finding in findings), "",
             *(table.markdown() + "\n" for table in tables)]
    path.write_text("\n".join(parts).rstrip() + "\n")
