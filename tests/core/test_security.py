"""Security headers, cookies, CSRF and safe Markdown."""

import pytest

from lotse_lms.accounts.models import User
from lotse_lms.core.markdown import render_safe
from lotse_lms.extensions import db


def test_pages_carry_protective_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_http_only_and_same_site(client, make_user):
    from ..conftest import login

    user = make_user()
    response = login(client, user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forged_form_without_csrf_token_is_refused_and_writes_nothing(client):
    response = client.post(
        "/register",
        data={"name": "Eve", "email": "eve@example.org", "password": "x" * 12, "confirm": "x" * 12},
    )
    assert response.status_code in (200, 400)
    assert "abgelaufen" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).filter_by(email="eve@example.org")) is None


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[klick](javascript:alert(1))",
        "[klick](JaVaScRiPt:alert(1))",
        "[klick](java\tscript:alert(1))",
        "[klick](data:text/html;base64,PHNjcmlwdD4=)",
        "![bild](javascript:alert(1))",
    ],
)
def test_markdown_from_people_cannot_carry_scripts(hostile):
    html = str(render_safe(hostile)).lower()
    assert "<script" not in html
    assert "onerror=" not in html or "&lt;img" in html
    assert 'href="javascript' not in html and 'src="javascript' not in html
    assert 'href="data:' not in html


def test_markdown_keeps_ordinary_formatting_and_links():
    html = str(render_safe("**Wichtig**: siehe [Leitfaden](https://example.org/a)"))
    assert "<strong>Wichtig</strong>" in html
    assert 'href="https://example.org/a"' in html
    assert 'rel="nofollow noopener"' in html


def test_markdown_full_of_markers_is_rendered_as_typed_and_only_once():
    """A text of 10,000 "![" took 4 s per rendering: beyond MAX_MARKERS link and emphasis
    markers it renders without links, images and emphasis, and each text renders once."""
    from lotse_lms.core.markdown import MAX_MARKERS, parser_for

    hostile = "![" * 10_000 + " *a* [x](https://example.org)"
    html = str(render_safe(hostile))
    assert html.startswith("<p>![![") and "*a*" in html and "<img" not in html
    assert "<a " not in html and "<em>" not in html
    assert render_safe(hostile) is render_safe(hostile)  # kept, not rendered again
    ordinary = "[Leitfaden](https://example.org/a) " * (MAX_MARKERS // 2)
    assert parser_for(ordinary) is not parser_for(hostile)
    assert str(render_safe(ordinary)).count('href="https://example.org/a"') == MAX_MARKERS // 2
