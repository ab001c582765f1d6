"""The one CSV writer: every cell neutralised against formula injection, answers streamed."""

import csv
import io

import pytest

from lotse_lms.core.csvexport import batched, csv_response, neutralise


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=2*3", "'=2*3"),
        ("+49 711", "'+49 711"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Erika", "Erika"),
        ("a=b", "a=b"),
        (None, ""),
        (12, "12"),
    ],
)
def test_cells_that_start_like_a_formula_are_neutralised(value, cell):
    assert neutralise(value) == cell


def test_csv_answer_is_streamed_with_bom_and_semicolons(app):
    consumed = []

    def rows():
        for n in range(3):
            consumed.append(n)
            yield (f"=Zeile {n}", n)

    with app.test_request_context():
        response = csv_response(("Name", "-Zahl"), rows(), "probe.csv")
        assert response.is_streamed and not consumed  # nothing read before sending
        text = b"".join(response.iter_encoded()).decode()
    assert text.startswith("\ufeff") and 'filename="probe.csv"' in str(response.headers)
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert parsed == [
        ["Name", "'-Zahl"],
        ["'=Zeile 0", "0"],
        ["'=Zeile 1", "1"],
        ["'=Zeile 2", "2"],
    ]


def test_lines_are_sent_in_batches_after_the_header():
    texts = ["head\n"] + [f"{n:04d}\n" for n in range(10)]
    sent = list(batched(texts, size=12))
    assert sent[0] == "head\n" and "".join(sent) == "".join(texts)
    assert [len(s) for s in sent[1:]] == [15, 15, 15, 5]
