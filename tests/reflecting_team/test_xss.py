"""Hostile input in every text field is shown as harmless text: no script, no script links."""

import re

import pytest

from lotse_lms.extensions import db
from lotse_lms.reflecting_team import operations

from .conftest import sign_in

HOSTILE = "\n\n".join(
    [
        "<script>alert('x')</script>",
        '<img src=x onerror="alert(1)">',
        "[eins](javascript:alert(1))",
        "[zwei](JaVaScRiPt:alert(2))",
        "[drei](&#106;avascript:alert(3))",
        "<javascript:alert(4)>",
        "[vier](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![bild](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
        '<a href="javascript:alert(5)">fünf</a>',
        "[sicher](https://example.org/weg)",
    ]
)


def assert_harmless(html):
    """No script element, no event handler attribute, no javascript:/data: link in ``html``."""
    own = re.sub(r'<script src="/static/[^"<>]*"></script>', "", html)  # the layout's menu script
    assert "<script" not in own.lower()
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.I), "event handler attribute"
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*(javascript|data|vbscript):""", html, re.I)
    assert "&lt;script&gt;" in html  # the text is still there, shown as text
    assert 'href="https://example.org/weg"' in html


def _session_page(client, session):
    """The session page's HTML."""
    return client.get(f"/reflecting-team/sessions/{session.id}").get_data(as_text=True)


@pytest.mark.parametrize("field", ["situation", "firms", "question"])
def test_case_fields(client, cast, new_session, field, post_form):
    session = new_session()
    sign_in(client, cast.owner)
    data = {"situation": "Lage", "firms": "Betriebe", "question": "Frage", field: HOSTILE}
    assert post_form(f"/reflecting-team/sessions/{session.id}/case", data).status_code == 302
    assert_harmless(_session_page(client, session))
    sign_in(client, cast.members[0])
    assert_harmless(
        client.get(f"/reflecting-team/sessions/{session.id}/reflection").get_data(as_text=True)
    )


@pytest.mark.parametrize("field", ["observations", "hypotheses", "ideas"])
def test_reflection_fields(client, cast, new_session, field, post_form):
    session = new_session(case=True)
    sign_in(client, cast.members[0])
    data = {"observations": "", "hypotheses": "", "ideas": "", field: HOSTILE}
    assert post_form(f"/reflecting-team/sessions/{session.id}/reflection", data).status_code == 302
    assert_harmless(_session_page(client, session))


@pytest.mark.parametrize("field", ["takeaways", "next_steps"])
def test_self_reflection_fields(client, cast, new_session, field, post_form):
    session = new_session(case=True)
    sign_in(client, cast.owner)
    data = {"takeaways": "Viel", "next_steps": "Pilot", field: HOSTILE}
    assert (
        post_form(f"/reflecting-team/sessions/{session.id}/self-reflection", data).status_code
        == 302
    )
    assert_harmless(_session_page(client, session))


def test_amendment_body(client, cast, new_session, post_form):
    session = new_session(reflections=1, closed=True)
    sign_in(client, cast.owner)
    path = f"/reflecting-team/sessions/{session.id}/amend/case/{session.case.id}"
    assert post_form(path, {"body": HOSTILE}).status_code == 302
    assert_harmless(_session_page(client, session))


def test_session_title_is_plain_text(client, cast, new_session):
    session = new_session(title="<script>alert(1)</script> [x](javascript:alert(1))")
    operations.submit_case(session, cast.owner, situation=HOSTILE, firms="x", question="y")
    db.session.commit()
    sign_in(client, cast.trainer)
    for path in ["/", "/reflecting-team/", f"/reflecting-team/sessions/{session.id}"]:
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "&lt;script&gt;alert(1)" in html, path
