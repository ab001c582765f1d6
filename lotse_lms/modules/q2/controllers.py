"""Handlers for Lotsen and everyone signed in: catalogue, session page, enrol, calendars."""

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.access import roles_required
from ...core.ical import ics_response
from ...core.urls import external_url
from ...extensions import db
from . import feeds, ical, queries, registrations
from .common import Q2Error, now_utc, topics
from .forms import ConfirmForm
from .models import FORMAT_LABELS, LiveSession, RegStatus
from .progress import q2_progress

STAFF = ("foundation", "admin")


def session_or_404(session_id):
    """Load a session or answer 404."""
    session = db.get_or_404(LiveSession, session_id)
    return session


def may_see_access(session, user, reg=None):
    """Venue and link are for enrolled participants, the session's trainers and staff."""
    if session.has_trainer(user) or user.has_role(*STAFF):
        return True
    reg = reg if reg is not None else registrations.registration_of(user, session)
    return reg is not None and reg.status == RegStatus.ENROLLED


def _day(text):
    """A yyyy-mm-dd filter value, or None when empty or malformed."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@login_required
def catalogue():
    """Upcoming sessions with free places, filterable by topic, format, region and date."""
    args = request.args
    topic = args.get("topic") if args.get("topic") in topics() else None
    fmt = args.get("format") if args.get("format") in FORMAT_LABELS else None
    region = args.get("region") if args.get("region") in current_app.config["REGIONS"] else None
    from_day = _day(args.get("from"))
    sessions = queries.upcoming(topic, fmt, region, from_day)
    mine = {r.session_id: r for r in queries.registrations_of(current_user)}
    return render_template(
        "q2/catalogue.html",
        sessions=sessions,
        counts=queries.counts([s.id for s in sessions]),
        mine=mine,
        topics=topics(),
        formats=FORMAT_LABELS,
        regions=current_app.config["REGIONS"],
        chosen={"topic": topic, "format": fmt, "region": region, "from": from_day},
    )


@login_required
def detail(session_id):
    """One session: facts, free places, the person's status and (if enrolled) venue and link."""
    session = session_or_404(session_id)
    reg = registrations.registration_of(current_user, session)
    position = registrations.position_of(reg) if reg else None
    count = queries.counts([session.id])[session.id]
    return render_template(
        "q2/detail.html",
        session=session,
        reg=reg,
        position=position,
        count=count,
        access=may_see_access(session, current_user, reg),
        form=ConfirmForm(),
        now=now_utc(),
        topics=topics(),
        formats=FORMAT_LABELS,
    )


def _registration_action(session_id, verb):
    """Run enrol or cancel for the signed-in person and report the outcome."""
    session = session_or_404(session_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Das Formular war abgelaufen. Bitte versuchen Sie es erneut."), "error")
        return redirect(url_for("q2.detail", session_id=session.id))
    try:
        reg = verb(current_user, session.id)
        db.session.commit()
    except Q2Error as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        if reg.status == RegStatus.ENROLLED:
            flash(_("Sie sind angemeldet. Eine Bestätigung ist per E-Mail unterwegs."), "success")
        elif reg.status == RegStatus.WAITING:
            flash(
                _(
                    "Der Termin ist ausgebucht. Sie stehen auf Platz %(n)s der Warteliste.",
                    n=registrations.position_of(reg),
                ),
                "info",
            )
        else:
            flash(_("Sie sind vom Termin abgemeldet."), "success")
    return redirect(url_for("q2.detail", session_id=session.id))


@roles_required("participant")
def enrol(session_id):
    """Enrol in a session (or join its waiting list)."""
    return _registration_action(session_id, registrations.enrol)


@roles_required("participant")
def cancel(session_id):
    """Give up one's place or leave the waiting list."""
    return _registration_action(session_id, registrations.cancel)


@login_required
def session_ics(session_id):
    """The session as an .ics file (venue and link only for those entitled to them)."""
    session = session_or_404(session_id)
    data = ical.session_calendar(
        session, may_see_access(session, current_user), now_utc(), current_user
    )
    return ics_response(data, f"q2-termin-{session.id}.ics")


@roles_required("participant")
def mine():
    """The Lotse's own sessions, waiting places and time budget."""
    regs = queries.registrations_of(current_user)
    positions = {r.id: registrations.position_of(r) for r in regs if r.status == RegStatus.WAITING}
    return render_template(
        "q2/mine.html",
        regs=regs,
        progress=q2_progress(current_user),
        topics=topics(),
        positions=positions,
        form=ConfirmForm(),
        now=now_utc(),
    )


@login_required
def calendar():
    """The person's private subscription address; a new address revokes the old one."""
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        feeds.revoke_feed(current_user)
        db.session.commit()
        flash(
            _("Sie haben eine neue Abonnement-Adresse. Die bisherige funktioniert nicht mehr."),
            "success",
        )
        return redirect(url_for("q2.calendar"))
    feed = feeds.ensure_feed(current_user)
    db.session.commit()
    url = external_url("q2.feed", token=feed.token)
    webcal = "webcal:" + url.split(":", 1)[1]  # calendar programs open webcal: to subscribe
    return render_template("q2/calendar.html", url=url, webcal=webcal, form=form)


def feed(token):
    """The subscription feed: no sign-in, the secret address is the key."""
    user = feeds.user_for_token(token)
    if user is None:
        abort(404)
    return ics_response(ical.feed_calendar(user, now_utc()), "q2-termine.ics")
