"""Outgoing mail: queued in the outbox table, sent by SMTP or, without SMTP, logged."""

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, g, has_request_context

from ..extensions import db
from .models import OutboxMail
from .timeutil import utcnow


def queue(recipient, subject, body):
    """Put a mail in the outbox (sent after the surrounding transaction commits)."""
    mail = OutboxMail(recipient=recipient, subject=subject, body=body)
    db.session.add(mail)
    if has_request_context():
        g.lotse_mail_queued = True
    return mail


def pending(limit=100):
    """Return unsent mails, oldest first."""
    query = (
        db.select(OutboxMail)
        .where(OutboxMail.sent_at.is_(None))
        .order_by(OutboxMail.id)
        .limit(limit)
    )
    return db.session.scalars(query).all()


def _smtp_send(config, mail):
    """Hand one mail to the configured SMTP server."""
    msg = EmailMessage()
    msg["From"] = config["MAIL_SENDER"]
    msg["To"] = mail.recipient
    msg["Subject"] = mail.subject
    msg["Message-ID"] = make_msgid(domain="lotse-lms")
    msg.set_content(mail.body)
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(msg)


def send_pending(limit=100):
    """Send (or log) every pending mail; return how many went out."""
    config = current_app.config
    sent = 0
    for mail in pending(limit):
        mail.attempts += 1
        try:
            if config["MAIL_SERVER"]:
                _smtp_send(config, mail)
            else:
                current_app.logger.info(
                    "Mail (no SMTP configured) to %s: %s\n%s",
                    mail.recipient,
                    mail.subject,
                    mail.body,
                )
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            # ValueError: a header the email package refuses (e.g. a line break in the
            # subject); that mail fails, the others still go out.
            mail.last_error = str(exc)[:2000]
            current_app.logger.warning("Mail to %s failed: %s", mail.recipient, exc)
        else:
            mail.sent_at = utcnow()
            mail.last_error = None
            sent += 1
        db.session.commit()
    return sent


def outbox(limit=200):
    """Return the newest mails of the outbox, sent or not."""
    query = db.select(OutboxMail).order_by(OutboxMail.id.desc()).limit(limit)
    return db.session.scalars(query).all()
