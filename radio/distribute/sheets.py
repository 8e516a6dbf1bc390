"""Printable A4 pages (PDF): the broadcast schedule and the dispatch list."""
from __future__ import annotations

from .model import DRAFT_LINE
from .printing import FAMILY, INK, new_pdf, pdf_bytes

RED = (200, 30, 30)


def table_pdf(title: str, lines: list[str], header: list[str], rows: list[list[str]],
              widths: tuple[float, ...], draft: bool, author: str, epoch: int) -> bytes:
    """A landscape A4 document: a title, a few lines, then a table of *rows*, its
    header repeated on every page."""
    pdf = new_pdf(title, author, epoch)
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_margins(12, 12, 12)
    pdf.add_page(orientation="L", format="A4")
    if draft:
        pdf.set_font(FAMILY, "B", 11)
        pdf.set_text_color(*RED)
        pdf.cell(0, 6, DRAFT_LINE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 8.5)
    with pdf.table(col_widths=widths, line_height=5.2, first_row_as_headings=True,
                   text_align="LEFT", repeat_headings=1) as table:
        for cells in [header, *rows]:
            row = table.row()
            for cell in cells:
                row.cell(str(cell))
    return pdf_bytes(pdf)
