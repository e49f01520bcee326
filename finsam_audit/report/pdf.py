"""The audit as a PDF to file: the HTML report (html.py) printed by WeasyPrint.

A4 with CSS paged media: the förbund and plan of the section being read in the running
header with the date of the run, "Sida 3 av 12" in the footer. The first page says that
this is an underlag för granskning, not the revisors' report (html.py's lead). The print
layout itself (charts beside each other under the budget, findings kept whole, the
summary followed by the first plan) is html.py's @media print, so a browser's print
gives the same pages.
"""

from __future__ import annotations

import datetime as dt
import logging
import string

from finsam_audit.audit import AuditResult
from finsam_audit.common.swedish import format_date
from finsam_audit.report.html import FONT, NOTICE, TITLE, render_html

# Margin boxes: WeasyPrint's paged media (a browser's print ignores them).
PAGE_CSS = string.Template("""
@page {
  size: A4;
  margin: 18mm 14mm 18mm;
  @top-left { content: string(plan, first); $box }
  @top-right { content: "$notice · körd $run_date"; $box }
  @bottom-left { content: "$tool"; $box }
  @bottom-right { content: "Sida " counter(page) " av " counter(pages); $box }
}
@page :first { @top-left { content: "$title"; } }
section.document > h2 { string-set: plan content(); }
""")


def render_pdf(result: AuditResult, run_date: dt.date | None = None) -> bytes:
    """The HTML report as an A4 PDF; `run_date` (today by default) is printed in every page's header."""
    from weasyprint import CSS, HTML  # late: only a PDF needs WeasyPrint and its libraries

    # WeasyPrint logs every CSS property it does not support (the screen layout's grid
    # gaps, print-color-adjust) as a warning: not the user's concern.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    page = PAGE_CSS.substitute(
        box=f"font-family: {FONT}; font-size: 8pt; color: #5b6674;",
        notice=NOTICE,
        run_date=format_date(run_date or dt.date.today()),
        tool=f"{result.tool.name} {result.tool.version}",
        title=TITLE,
    )
    return HTML(string=render_html(result)).write_pdf(stylesheets=[CSS(string=page)])
