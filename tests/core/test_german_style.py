"""One German style in the German catalogue (the msgids of messages.pot, which `make
translations` extracts from every area).

The forms chosen: role names in the paired form ("Mentorin / Mentor", "Trainerinnen und
Trainer") or a neutral participle ("Teilnehmende", "Mitarbeitende"); dates as TT.MM.JJJJ
(Babel's German medium format, or an explicit dd.MM.yyyy); Q1 packages are "Module", never
"Kurse"; a full sentence after a colon starts with a capital letter. The test looks for
the forms not chosen.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

POT = Path(__file__).resolve().parents[2] / "lotse_lms" / "translations" / "messages.pot"
TEMPLATES = Path(__file__).resolve().parents[2] / "lotse_lms"

AVOIDED = {
    # Binnen-I (OM-BeraterIn), slash, star, colon and underscore gender forms.
    "gender form with a capital I": re.compile(r"[a-zäöüß](In|Innen)\b"),
    "gender form with a slash": re.compile(r"\w/(in|innen)\b"),
    "gender form with a star, colon or underscore": re.compile(r"\w[*:_](in|innen)\b"),
    # "Kurs" as a word of its own (compounds of the Open edX blocks are left out).
    "Kurs instead of Modul": re.compile(r"\bKurs(e|es|en)?\b"),
    # A full sentence after a colon begins in lower case ("gesperrt: schließen Sie ...").
    "lower case sentence after a colon": re.compile(
        r":\s+(?:[a-zäöüß]\w*\s+(?:Sie|wir)\b|(?:dies\w*|es|das|der|die)\s+\w+\s+"
        r"(?:wird|werden|ist|sind|steht|bleibt)\b)"
    ),
    # Dates: ISO or US forms in the text.
    "date not in TT.MM.JJJJ": re.compile(r"\b(JJJJ-MM-TT|YYYY-MM-DD|MM/DD/YYYY)\b"),
}


def _german_strings():
    """Every msgid (singular and plural) of the German catalogue."""
    with open(POT, "rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if not message.id:
            continue
        yield from message.id if isinstance(message.id, tuple) else [message.id]


#: The one deliberate exception: the neutral form a person may choose for their own
#: certificate ("Anrede: neutral") names them "OM-Lots*in"; a paired form would not be neutral.
NEUTRAL_TITLE = "OM-Lots*in"


@pytest.mark.parametrize("name", sorted(AVOIDED))
def test_german_catalogue_avoids(name):
    pattern = AVOIDED[name]
    found = [text for text in _german_strings() if pattern.search(text.replace(NEUTRAL_TITLE, ""))]
    assert found == [], name


def test_templates_format_dates_as_tt_mm_jjjj():
    """Dates in templates go through the date/datetime filters (Babel, German medium:
    TT.MM.JJJJ) or an explicit dd.MM.yyyy pattern; never strftime with another order."""
    wrong = re.compile(r"strftime\(['\"]%[Ym]|\|datetime\(['\"][^'\"]*(yyyy-MM|MM/dd)")
    found = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if wrong.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_checks_would_find_the_avoided_forms():
    samples = {
        "gender form with a capital I": "Autorisierung als OM-BeraterIn",
        "gender form with a slash": "ohne Mentor/in",
        "gender form with a star, colon or underscore": "Trainer*innen",
        "Kurs instead of Modul": "Der Kurs ist beendet.",
        "lower case sentence after a colon": "gesperrt: schließen Sie zuerst ab.",
        "date not in TT.MM.JJJJ": "Format JJJJ-MM-TT",
    }
    assert {name: bool(AVOIDED[name].search(text)) for name, text in samples.items()} == {
        name: True for name in samples
    }
