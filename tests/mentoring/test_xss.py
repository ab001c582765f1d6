"""Hostile input in every mentoring text field is shown as text, never run as code."""

from datetime import date
from html.parser import HTMLParser

import pytest

from lotse_lms.extensions import db
from lotse_lms.mentoring import feedback, operations

from ..conftest import login

HOSTILE = [
    "<script>alert('s')</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "<javascript:alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<a href="javascript:alert(1)">x</a>',
    "[x](vbscript:msgbox(1))",
]
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Checker(HTMLParser):
    """Collects what would run in a browser: script tags, on* handlers, unsafe URLs."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        """Flag dangerous elements and attributes."""
        source = dict(attrs).get("src") or ""
        if tag == "script" and source.startswith("/static/"):
            return  # the layout's own script file (the menu button), not input
        if tag in {"script", "iframe", "object", "embed"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            cleaned = "".join(ch for ch in (value or "") if ch > " ").lower()
            if name in {"href", "src", "action", "formaction"} and cleaned.startswith(BAD_SCHEMES):
                self.problems.append(f"{tag} {name}={value}")


def assert_safe(html):
    """Fail if the page would run anything the input brought in."""
    checker = _Checker()
    checker.feed(html)
    assert checker.problems == []


@pytest.fixture
def hostile(cast):
    """Every mentoring text field filled with every payload."""
    text = "\n\n".join(HOSTILE)
    operations.assign_mentor(cast.other_participant, cast.mentor, cast.foundation, text)
    entry = feedback.create_entry(
        cast.mentee,
        cast.mentor,
        occurred_on=date.today(),
        occasion="other",
        occasion_other="<script>alert('o')</script><img src=x onerror=alert(2)>",
        observations=text,
        next_steps=text,
        visibility="shared",
    )
    private = feedback.create_entry(
        cast.mentee,
        cast.mentor,
        occurred_on=date.today(),
        occasion="q2_session",
        observations=text,
        next_steps=text,
        visibility="private",
    )
    feedback.add_reply(entry, cast.mentee, text)
    feedback.revise_entry(
        entry,
        cast.mentor,
        occurred_on=date.today(),
        occasion="other",
        occasion_other="<b onmouseover=alert(3)>x</b>",
        observations=text + "\n\nneu",
        next_steps=text,
        visibility="shared",
    )
    operations.recommend(cast.mentee, cast.mentor, "not_yet", text)
    operations.recommend(cast.mentee, cast.mentor, "recommended", text)
    operations.end_assignment(cast.other_participant, cast.foundation, text)
    db.session.commit()
    return entry, private


def test_hostile_text_is_harmless_on_every_page(app, cast, hostile):
    entry, private = hostile
    # (path, whether the page shows hostile text, which must then appear escaped)
    pages = {
        cast.mentor: [
            ("/", False),
            ("/mentoring/mentees", False),
            (f"/mentoring/mentees/{cast.mentee.id}", True),
            (f"/mentoring/entries/{entry.id}", True),
            (f"/mentoring/entries/{private.id}", True),
            (f"/mentoring/entries/{entry.id}/edit", True),
            (f"/mentoring/mentees/{cast.mentee.id}/recommendation", True),
            (f"/mentoring/mentees/{cast.other_participant.id}", False),
        ],
        cast.mentee: [
            ("/", False),
            ("/mentoring/me", True),
            (f"/mentoring/entries/{entry.id}", True),
        ],
        cast.foundation: [
            ("/", False),
            ("/mentoring/assignments", False),
            (f"/mentoring/assignments/{cast.other_participant.id}", True),
            (f"/mentoring/mentees/{cast.mentee.id}", True),
            (f"/mentoring/entries/{entry.id}", True),
            (f"/mentoring/mentees/{cast.other_participant.id}", True),
        ],
    }
    for user, paths in pages.items():
        client = app.test_client()
        login(client, user.email)
        for path, shows_text in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            html = response.get_data(as_text=True)
            assert_safe(html)
            if shows_text:
                assert "&lt;script&gt;" in html, path  # the reader sees what was typed, as text


def test_the_checker_itself_finds_what_it_should():
    for bad in (
        "<script>x</script>",
        "<img src=x onerror=y>",
        '<a href=" JavaScript:x">',
        '<img src="data:image/svg+xml,x">',
    ):
        checker = _Checker()
        checker.feed(bad)
        assert checker.problems, bad


@pytest.mark.parametrize("payload", HOSTILE)
def test_markdown_fields_show_each_payload_as_text_or_drop_the_link(payload):
    from lotse_lms.core.markdown import render_safe

    html = str(render_safe(payload))
    assert_safe(html)
    assert html.strip()  # the reader still sees what was written
