"""The one CSV writer of every export: streamed row by row, every cell neutralised.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, after a leading
TAB or CR, what follows) as a formula: any text a person typed (a name, an e-mail address, a
title) could become one. Every cell of every export goes through ``neutralise``, which puts
an apostrophe in front of such text, so spreadsheets show it as written.
"""

import csv

from flask import Response, stream_with_context

#: Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The byte order mark: spreadsheets then read the file as UTF-8.
BOM = "\ufeff"
#: Characters of CSV text sent per write: a line per write cost the server a send per row.
BATCH = 32 * 1024


def neutralise(value):
    """The cell text of ``value``: None as empty, formula-like text behind an apostrophe."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like sink that keeps the last line csv.writer wrote."""

    def write(self, text):
        """Keep ``text``."""
        self.text = text


def lines(header, rows):
    """CSV text line by line (semicolon-separated, as German spreadsheets expect), BOM first."""
    sink = _Line()
    writer = csv.writer(sink, delimiter=";")
    writer.writerow([neutralise(cell) for cell in header])
    yield BOM + sink.text
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        yield sink.text


def batched(texts, size=BATCH):
    """The first text at once (the download starts), then the rest joined ``size`` at a time."""
    pending, length = [], 0
    for n, text in enumerate(texts):
        pending.append(text)
        length += len(text)
        if n == 0 or length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


def csv_response(header, rows, filename):
    """A streamed CSV download of ``rows`` (any iterable; consumed while the answer is sent)."""
    return Response(
        stream_with_context(batched(lines(header, rows))),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
