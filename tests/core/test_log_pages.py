"""The audit log and the outbox page at any size: a page at a time, filtered, fixed query count."""

from datetime import timedelta

from lotse_lms.core import audit, mail
from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db
from tests.conftest import login


def _entries(actor, subject, count, start=0):
    """``count`` audit entries of two areas, one minute apart."""
    base = utcnow() - timedelta(days=1)
    for i in range(start, start + count):
        action = "q2.enrolled" if i % 2 else "accounts.roles_changed"
        entry = audit.record(action, ("Test", str(i)), actor=actor, subject=subject, n=i)
        entry.at = base + timedelta(minutes=i)
    db.session.commit()


def test_audit_log_pages_searches_and_filters_by_area(client, make_user, count_queries):
    staff = make_user("foundation", name="Sabine Stiftung")
    lena = make_user("participant", name="Lena Lotsin")
    _entries(staff, lena, 3)
    login(client, staff.email)
    small, page = count_queries(client.get, "/audit")
    assert page.status_code == 200
    _entries(staff, make_user("participant", name="Paul Praxis"), 60, start=3)
    large, page = count_queries(client.get, "/audit")
    text = page.get_data(as_text=True)
    assert small == large, (small, large)
    total = db.session.scalar(db.select(db.func.count(AuditEntry.id)))  # with accounts made
    assert f"{total} Einträge · Seite 1 von 2" in text and "n:</span> 62<" in text
    assert "n:</span> 12<" not in text  # on page 2
    text = client.get("/audit?area=q2").get_data(as_text=True)
    assert "31 Einträge" in text and "Rollen geändert" not in text
    text = client.get("/audit?q=lena&area=q2").get_data(as_text=True)
    assert "1 Eintrag" in text and "n:</span> 1<" in text and "Paul Praxis" not in text
    text = client.get("/audit?area=q2&sort=at").get_data(as_text=True)
    assert text.index("n:</span> 1<") < text.index("n:</span> 3<")


def test_outbox_pages_and_filters_by_state(app, client, make_user, count_queries):
    for i in range(3):
        mail.queue(f"person{i}@example.org", f"Mail {i:03d}", "Text")
    db.session.commit()
    login(client, make_user("admin").email)
    small, page = count_queries(client.get, "/outbox")
    assert page.status_code == 200
    for i in range(3, 40):
        mail.queue(f"person{i}@example.org", f"Mail {i:03d}", "Text")
    db.session.commit()
    parked = db.session.scalars(db.select(OutboxMail).where(OutboxMail.subject == "Mail 007"))
    parked.one().parked_at = utcnow()
    db.session.commit()
    large, page = count_queries(client.get, "/outbox")
    text = page.get_data(as_text=True)
    assert small == large, (small, large)
    assert "40 Einträge · Seite 1 von 2" in text
    assert "Mail 039" in text and "Mail 015" in text and "Mail 014" not in text
    text = client.get("/outbox?state=parked").get_data(as_text=True)
    assert "1 Eintrag" in text and "Mail 007" in text and "Erneut versuchen" in text
    text = client.get("/outbox?q=person1").get_data(as_text=True)
    assert "11 Einträge" in text  # person1 and person10 … person19
