"""Notification mails: an excerpt of the post, and one-click unsubscribe (RFC 8058) through
the real SMTP conversation."""

import email
import re
from email import policy as email_policy

import pytest
import sqlalchemy as sa

from lotse_lms.community import notify, operations
from lotse_lms.core import jobs, mail
from lotse_lms.core.models import OutboxMail
from lotse_lms.extensions import db

from ..core.test_mail_i18n import smtp_server  # noqa: F401 - the real SMTP server fixture

BASE = "https://lotse.example"


def test_the_excerpt_is_plain_text_and_safely_shortened():
    assert notify.excerpt("**Fett** und *kursiv* mit [Link](https://x.example)") == (
        "Fett und kursiv mit Link"
    )
    assert notify.excerpt("> Zitat von jemand anderem\n\nMeine Antwort") == "Meine Antwort"
    assert notify.excerpt("<script>alert(1)</script>\x07") == "<script>alert(1)</script>"
    long = "Wort " * 100
    short = notify.excerpt(long)
    assert len(short) <= notify.EXCERPT + 2 and short.endswith(" …") and "Wor …" not in short
    assert notify.excerpt("") == ""


def _received(server):
    """The messages the SMTP server received, parsed."""
    return [email.message_from_string(raw, policy=email_policy.default) for raw in server.messages]


@pytest.mark.config(BASE_URL=BASE)
def test_digest_and_immediate_mails_carry_one_click_unsubscribe_over_smtp(
    app,
    classroom,
    smtp_server,  # noqa: F811
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1])
    participant, trainer, mentor = (classroom[k] for k in ("participant", "trainer", "mentor"))
    notify.set_delivery(participant, "now")
    thread = operations.create_thread(classroom["space"], participant, "Start", "Wie fange ich an?")
    operations.reply(
        thread,
        trainer,
        f"@{mentor.name} **Zuerst** die Vorlage aus Modul 3 lesen, dann " + "weiter " * 60,
    )
    db.session.commit()
    jobs.enqueue("community.daily_digest")
    jobs.run_pending(app)
    mail.send_pending()
    received = {msg["To"]: msg for msg in _received(smtp_server)}
    assert set(received) == {participant.email, mentor.email}
    for person in (participant, mentor):
        msg = received[person.email]
        url = re.fullmatch(r"<(.+)>", msg["List-Unsubscribe"]).group(1)
        assert url.startswith(BASE + "/community/abmelden/")
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        body = msg.get_content()
        assert "Zuerst die Vorlage aus Modul 3 lesen" in body and "**" not in body
        assert "Keine E-Mails mehr aus der Community: " + url in body
    # The one click: a POST without signing in turns the person's community mails off.
    url = re.fullmatch(r"<(.+)>", received[mentor.email]["List-Unsubscribe"]).group(1)
    path = url  # the test client takes the full https address
    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200 and "Keine E-Mails mehr" in page.get_data(as_text=True)
    assert notify.delivery_of(mentor) == "daily"  # a GET changes nothing
    answer = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and "Erledigt" in answer.get_data(as_text=True)
    assert notify.delivery_of(mentor) == "off"
    assert client.post(path[:-3] + "xyz").status_code == 404  # a forged token
    operations.reply(thread, trainer, f"@{mentor.name} noch etwas")
    db.session.commit()
    assert notify.send_daily() == 0  # nothing mailed to the mentor any more
    assert not db.session.scalars(
        sa.select(OutboxMail).where(
            OutboxMail.recipient == mentor.email, OutboxMail.sent_at.is_(None)
        )
    ).all()
