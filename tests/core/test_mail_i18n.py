"""Mail through a real SMTP conversation, and the English interface."""

import socketserver
import threading

import pytest

from lotse_lms.core import mail
from lotse_lms.core.models import OutboxMail
from lotse_lms.extensions import db

from ..conftest import csrf_token, login


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 to accept one message and keep it."""

    def _say(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self._say("220 test ESMTP")
        while True:
            line = self.rfile.readline().decode().strip()
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self._say("250 test")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.server.envelope.append(line)
                self._say("250 OK")
            elif verb == "DATA":
                self._say("354 go ahead")
                body = []
                while (chunk := self.rfile.readline().decode()) != ".\r\n":
                    body.append(chunk)
                self.server.messages.append("".join(body))
                self._say("250 queued")
            elif verb == "QUIT" or not line:
                self._say("221 bye")
                return
            else:
                self._say("502 not implemented")


@pytest.fixture
def smtp_server():
    """A local SMTP server on 127.0.0.1 that records what it receives."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.messages, server.envelope = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_queued_mail_is_sent_over_smtp_and_marked_sent(app, smtp_server):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1])
    mail.queue("lena@example.org", "Ihr Termin", "Guten Tag,\nIhr Termin ist bestätigt.")
    db.session.commit()
    assert mail.send_pending() == 1
    stored = db.session.scalars(db.select(OutboxMail)).one()
    assert stored.sent_at is not None and stored.attempts == 1
    assert "Subject: Ihr Termin" in smtp_server.messages[0]
    assert any("lena@example.org" in line for line in smtp_server.envelope)


def test_a_failing_smtp_server_leaves_the_mail_waiting_with_the_error(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there
    mail.queue("lena@example.org", "Betreff", "Text")
    db.session.commit()
    assert mail.send_pending() == 0
    stored = db.session.scalars(db.select(OutboxMail)).one()
    assert stored.sent_at is None and stored.last_error


def test_a_person_switches_the_interface_to_english_and_it_stays(app, client, make_user):
    user = make_user("participant")
    login(client, user.email)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/profile"})
    page = client.get("/profile").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "My profile" in page
    other = app.test_client()
    login(other, user.email)  # a new browser: the choice is kept on the account
    assert "My profile" in other.get("/profile").get_data(as_text=True)


def test_german_is_the_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="de">' in page and "Passwort vergessen?" in page


def test_a_mail_with_a_broken_header_fails_alone_and_the_others_go_out(app, smtp_server):
    """A subject with a line break (from before names were checked) must not stop the outbox."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1])
    mail.queue("eve@example.org", "Neue Mentee: Eve\r\nBcc: opfer@example.org", "Text")
    mail.queue("lena@example.org", "Ihr Termin", "Text")
    db.session.commit()
    assert mail.send_pending() == 1
    broken, good = db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id)).all()
    assert broken.sent_at is None and broken.last_error and broken.attempts == 1
    assert good.sent_at is not None
    assert len(smtp_server.messages) == 1
    assert not any("opfer@example.org" in line for line in smtp_server.envelope)
