"""A report as a plain document: a title, headings, paragraphs and tables of text. The
builders (annual.py, evaluation_report.py) make one; pdf.py and word.py render any of them,
so a PDF and a Word file of the same report hold the same words and figures."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: 一、…; 2: （一）…


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Grid:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()  # relative column widths; equal when empty


Block = Heading | Text | Grid


@dataclass
class Document:
    title: str
    subtitle: str  # under the title: jurisdiction, year, when generated, from which log head
    file_stem: str  # the download's name without extension (Chinese allowed)
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append(Heading(text, level))

    def text(self, text: str) -> None:
        self.blocks.append(Text(text))

    def grid(self, header: list[str], rows: list[list[object]], widths: list[float] = ()) -> None:
        """A table; a table without rows says so rather than printing an empty frame."""
        if not rows:
            self.text("（无记录）")
            return
        cells = tuple(tuple("—" if v is None else str(v) for v in r) for r in rows)
        self.blocks.append(Grid(tuple(header), cells, tuple(widths)))
