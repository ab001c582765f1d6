"""Outgoing mail: queued in the outbox table, sent by SMTP or, without SMTP, logged.

A mail may carry an iCalendar object (an iTIP invitation, update or cancellation, RFC 5546):
it then goes out as multipart/alternative, text/plain first and text/calendar with the
``method`` parameter second (iMIP, RFC 6047 §2.4), which Outlook, Thunderbird and Google
Calendar offer to put into the calendar.
"""

import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app, g, has_app_context

from ..extensions import db
from .models import OutboxMail
from .timeutil import utcnow


def queue(recipient, subject, body, calendar=None, unsubscribe_url=None):
    """Put a mail in the outbox (a job sends it after the surrounding transaction commits).

    ``calendar``: the bytes or text of one iCalendar object with a METHOD, sent as its
    text/calendar part. ``unsubscribe_url``: an https URL that turns this kind of mail off
    with one POST (RFC 8058), sent as List-Unsubscribe with List-Unsubscribe-Post.
    """
    if isinstance(calendar, bytes):
        calendar = calendar.decode()
    mail = OutboxMail(
        recipient=recipient,
        subject=subject,
        body=body,
        calendar=calendar,
        unsubscribe_url=unsubscribe_url,
    )
    db.session.add(mail)
    if has_app_context():
        g.lotse_mail_queued = True
    return mail


def queue_many(mails):
    """Put several mails (dicts of :func:`queue`'s ``recipient``, ``subject``, ``body`` and
    ``unsubscribe_url``) in the outbox in one statement, whatever their number."""
    if not mails:
        return
    db.session.execute(sa.insert(OutboxMail), [{"created_at": utcnow(), **each} for each in mails])
    if has_app_context():
        g.lotse_mail_queued = True


def _due():
    """The condition of mails that wait for a try now."""
    now = utcnow()
    return sa.and_(
        OutboxMail.sent_at.is_(None),
        OutboxMail.parked_at.is_(None),
        sa.or_(OutboxMail.next_attempt_at.is_(None), OutboxMail.next_attempt_at <= now),
    )


def pending(limit=100):
    """Return the ids of unsent mails due for a try, oldest first."""
    query = sa.select(OutboxMail.id).where(_due()).order_by(OutboxMail.id).limit(limit)
    return db.session.scalars(query).all()


def calendar_method(text):
    """The METHOD of an iCalendar object (REQUEST, CANCEL, PUBLISH …), upper case."""
    for line in text.splitlines():
        name, _colon, value = line.partition(":")
        if name.strip().upper() == "METHOD":
            return value.strip().upper()
    raise ValueError("calendar part without METHOD")


def message(config, mail):
    """The MIME message of an outbox mail (with its calendar part, if it has one)."""
    msg = EmailMessage()
    msg["From"] = config["MAIL_SENDER"]
    msg["To"] = mail.recipient
    msg["Subject"] = mail.subject
    msg["Message-ID"] = make_msgid(domain="lotse-lms")
    if mail.unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(mail.body)
    if mail.calendar:
        msg.add_alternative(
            mail.calendar,
            subtype="calendar",
            params={"method": calendar_method(mail.calendar)},
            cte="quoted-printable",
        )
    return msg


def _smtp_send(config, mail):
    """Hand one mail to the configured SMTP server."""
    msg = message(config, mail)
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(msg)


def _claim(mail_id, config):
    """Take one try of a mail for this sender; False if another sender took it or it is done.

    One UPDATE both counts the attempt and moves the next try forward, so two workers never
    send the same mail and a worker killed mid-send still has its attempt counted.
    """
    hold = utcnow() + timedelta(seconds=config["MAIL_CLAIM_SECONDS"])
    claimed = db.session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.id == mail_id, _due())
        .values(attempts=OutboxMail.attempts + 1, next_attempt_at=hold)
    ).rowcount
    db.session.commit()
    return claimed == 1


def retry_delay(config, attempts):
    """Seconds before the next try after ``attempts`` failed ones (doubling, capped)."""
    return min(config["MAIL_RETRY_SECONDS"] * 2 ** max(attempts - 1, 0), 6 * 3600)


def _deliver(config, mail):
    """Send one mail by SMTP, or write it to the log when no SMTP server is configured."""
    if config["MAIL_SERVER"]:
        _smtp_send(config, mail)
    else:
        current_app.logger.info(
            "Mail (no SMTP configured) to %s: %s\n%s%s",
            mail.recipient,
            mail.subject,
            mail.body,
            f"\n[text/calendar; method={calendar_method(mail.calendar)}]" if mail.calendar else "",
        )


def send_one(mail_id):
    """Try to send one mail; True if it went out. Failures are recorded, never raised."""
    config = current_app.config
    if not _claim(mail_id, config):
        return False
    mail = db.session.get(OutboxMail, mail_id)
    try:
        _deliver(config, mail)
    # A bad header raises ValueError while the message is built: it must not stop the others.
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if mail.attempts >= config["MAIL_MAX_ATTEMPTS"]:
            mail.parked_at = utcnow()
            mail.next_attempt_at = None
        else:
            mail.next_attempt_at = utcnow() + timedelta(seconds=retry_delay(config, mail.attempts))
        current_app.logger.warning(
            "Mail %s to %s failed (attempt %s): %s", mail.id, mail.recipient, mail.attempts, exc
        )
        db.session.commit()
        return False
    mail.sent_at = utcnow()
    mail.next_attempt_at = None
    mail.last_error = None
    db.session.commit()
    return True


def send_pending(limit=100):
    """Send (or log) every mail due for a try, each in its own transaction; return how many went out."""
    return sum(1 for mail_id in pending(limit) if send_one(mail_id))


def retry(mail_id):
    """Put a parked or failing mail back in line for an immediate try (admins, outbox)."""
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None or mail.sent_at is not None:
        return None
    mail.parked_at = None
    mail.next_attempt_at = None
    return mail


def parked_count():
    """How many mails gave up after their last try."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMail).where(OutboxMail.parked_at.is_not(None))
    )


#: Sort keys of the outbox page.
OUTBOX_SORTS = {"created": OutboxMail.created_at}
#: Outbox filter -> condition.
OUTBOX_STATES = {
    "waiting": lambda: sa.and_(OutboxMail.sent_at.is_(None), OutboxMail.parked_at.is_(None)),
    "sent": lambda: OutboxMail.sent_at.is_not(None),
    "parked": lambda: OutboxMail.parked_at.is_not(None),
}


def outbox_page(listing, state=""):
    """One page of the outbox, newest first, searched by recipient or subject, narrowed to
    waiting, sent or parked mails (two queries, whatever the outbox's size)."""
    query = sa.select(OutboxMail).where(listing.matches(OutboxMail.recipient, OutboxMail.subject))
    if state in OUTBOX_STATES:
        query = query.where(OUTBOX_STATES[state]())
    return listing.fetch(query, OutboxMail.id.desc(), scalars=True)
