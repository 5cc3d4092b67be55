"""A report document as PDF, in Chinese: the CID font the referral package uses
(infrastructure/integrity/case_pdf.py: STSong-Light, supplied by the viewer), A4 portrait,
tables repeating their header across pages, the page number and title in the footer."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from infrastructure.integrity.case_pdf import FONT, chinese_font
from infrastructure.reports.document import Document, Grid, Heading

WIDTH = 180  # mm of text width on A4 with 15 mm margins


def _styles() -> dict[str, ParagraphStyle]:
    font = chinese_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=1),
        "subtitle": ParagraphStyle(
            "subtitle", fontName=font, fontSize=9, leading=13, alignment=1, spaceAfter=8
        ),
        "h1": ParagraphStyle("h1", fontName=font, fontSize=13, leading=18, spaceBefore=10),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=11, leading=15, spaceBefore=6),
        "text": ParagraphStyle("text", fontName=font, fontSize=10, leading=15, spaceBefore=2),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8, leading=10),
    }


def _p(value: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(value), style)


def _table(grid: Grid, s: dict[str, ParagraphStyle]) -> Table:
    shares = grid.widths or tuple(1.0 for _ in grid.header)
    total = sum(shares)
    widths = [WIDTH * mm * w / total for w in shares]
    data = [[_p(h, s["cell"]) for h in grid.header]]
    data += [[_p(v, s["cell"]) for v in row] for row in grid.rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_pdf(document: Document) -> bytes:
    s = _styles()
    story: list[Any] = [_p(document.title, s["title"]), _p(document.subtitle, s["subtitle"])]
    for block in document.blocks:
        if isinstance(block, Heading):
            story.append(_p(block.text, s["h1" if block.level == 1 else "h2"]))
        elif isinstance(block, Grid):
            story.append(_table(block, s))
        else:
            story.append(_p(block.text, s["text"]))

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(15 * mm, 8 * mm, f"{document.title}  第 {doc.page} 页")
        canvas.restoreState()

    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=document.title,
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
