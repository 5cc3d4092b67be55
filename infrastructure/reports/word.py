"""A report document as a Word file (python-docx): the same headings, paragraphs and tables
as the PDF, East Asian text set in 宋体 so that Word shows the Chinese as written."""

from __future__ import annotations

import io
import re

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from infrastructure.reports.document import Document, Grid, Heading

EAST_ASIAN_FONT = "宋体"
# Characters XML 1.0 forbids (python-docx refuses them: "All strings must be XML
# compatible"); U+000B is Word's own manual line break, so text pasted from Word carries it.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_text(text: str) -> str:
    """Stored text as Word may hold it: U+000B becomes a line break (python-docx turns "\n"
    into <w:br/>), any other XML-invalid control character a space."""
    return XML_INVALID.sub(lambda m: "\n" if m.group() == "\x0b" else " ", text)


def _east_asian(style: object) -> None:
    """Word takes Chinese glyphs from the style's eastAsia font, not its Latin name (the
    heading styles name a theme font instead, which wins over an eastAsia name: dropped)."""
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)  # a theme font would take precedence


def render_docx(document: Document) -> bytes:
    word = WordDocument()
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        _east_asian(word.styles[name])
    word.styles["Normal"].font.size = Pt(10.5)
    word.core_properties.title = _xml_text(document.title)
    word.add_heading(_xml_text(document.title), level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.add_paragraph(_xml_text(document.subtitle)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(_xml_text(block.text), level=block.level)
        elif isinstance(block, Grid):
            table = word.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = _xml_text(text)
            for row in block.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = _xml_text(text)
        else:
            word.add_paragraph(_xml_text(block.text))
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
