"""The English catalogue: complete, placeholders intact, compiled file up to date."""

import re
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

FOLDER = Path(__file__).resolve().parents[2] / "lotse_lms" / "translations" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_0-9]*\}")


def _catalog():
    """The English .po catalogue."""
    with open(FOLDER / "messages.po", "rb") as fh:
        return read_po(fh)


def _strings(message):
    """msgid and msgstr variants of a message as lists."""
    ids = list(message.id) if isinstance(message.id, tuple) else [message.id]
    strings = list(message.string) if isinstance(message.string, tuple) else [message.string]
    return ids, strings


def test_every_message_is_translated_without_fuzzy_entries():
    untranslated = [m.id for m in _catalog() if m.id and (not all(_strings(m)[1]) or m.fuzzy)]
    assert untranslated == []


def test_translations_keep_the_placeholders():
    broken = []
    for message in _catalog():
        if not message.id:
            continue
        ids, strings = _strings(message)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            # A singular message keeps exactly its placeholders; plural forms may drop the count.
            if found - wanted or (len(ids) == 1 and found != wanted):
                broken.append(ids[0])
    assert broken == []


def test_the_compiled_catalogue_matches_the_source():
    def norm(value):
        """Plural ids and strings come as lists or tuples; compare them as tuples."""
        return tuple(value) if isinstance(value, (list, tuple)) else value

    with open(FOLDER / "messages.mo", "rb") as fh:
        compiled = {norm(m.id): norm(m.string) for m in read_mo(fh) if m.id}
    source = {norm(m.id): norm(m.string) for m in _catalog() if m.id}
    assert compiled == source, "run `make translations` (pybabel compile)"
