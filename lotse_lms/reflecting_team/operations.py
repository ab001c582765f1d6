"""Verbs of the reflecting team: set up and close sessions, describe cases, reflect, amend.

Every verb checks its rules, raises ReflectingTeamError (German message, field) on bad
input without changing anything, flushes, and writes the audit log; controllers commit.
"""

import re
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ..accounts.roles import Role
from ..core import audit, mail
from ..core.errors import Refusal
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from . import methods, policy, q2link
from .models import (
    TEXT_KINDS,
    RTAmendment,
    RTCase,
    RTMember,
    RTReflection,
    RTSelfReflection,
    RTSession,
)

TEXT_MAX = 20_000
EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


class ReflectingTeamError(Refusal):
    """A reflecting-team request that cannot be carried out."""


# -- method library ---------------------------------------------------------------------------


def methods_dir():
    """The folder of the method library (RT_METHODS_DIR, else the repository's content folder)."""
    configured = current_app.config["RT_METHODS_DIR"]
    if configured:
        return Path(configured)
    return Path(current_app.root_path).parent / "content" / "reflecting_team"


def library():
    """Return the methods of the library, in order."""
    return methods.load_methods(methods_dir())


def find_method(slug):
    """Return the method with ``slug`` or None."""
    return methods.find_method(methods_dir(), slug)


# -- sessions ---------------------------------------------------------------------------------


def _check_frame(trainer, held_on, case_owner, members, method_slug, title, q2_session_id):
    """Validate what a trainer enters for a session; return the chosen method."""
    config = current_app.config
    if held_on is None:
        raise ReflectingTeamError(_("Bitte geben Sie das Datum der Sitzung an."), "held_on")
    if len(title or "") > 200:
        raise ReflectingTeamError(_("Der Titel darf höchstens 200 Zeichen lang sein."), "title")
    if q2_session_id is not None and q2_session_id <= 0:
        raise ReflectingTeamError(
            _("Die Nummer der Q2-Sitzung muss eine positive Zahl sein."), "q2_session_id"
        )
    if q2_session_id is not None and q2link.installed() and q2link.find(q2_session_id) is None:
        raise ReflectingTeamError(_("Diese Q2-Sitzung gibt es nicht."), "q2_session_id")
    if case_owner is None or not case_owner.active or not case_owner.has_role(Role.PARTICIPANT):
        raise ReflectingTeamError(
            _("Fallgebend kann nur eine angehende Lotsin / ein angehender Lotse sein."),
            "case_owner",
        )
    if case_owner.id == trainer.id:
        raise ReflectingTeamError(
            _("Sie können nicht zugleich moderieren und den Fall einbringen."), "case_owner"
        )
    ids = [m.id for m in members]
    if len(set(ids)) != len(ids):
        raise ReflectingTeamError(_("Jede Person kann nur einmal im Team sein."), "members")
    if case_owner.id in ids:
        raise ReflectingTeamError(
            _("Die fallgebende Person kann nicht zugleich im Reflecting Team sein."), "members"
        )
    if trainer.id in ids:
        # The moderator interviews the case owner; reflecting is the team's part.
        raise ReflectingTeamError(
            _("Wer moderiert, gehört nicht zugleich zum Reflecting Team."), "members"
        )
    allowed = config["RT_MEMBER_ROLES"]
    if any(not m.active or not m.has_role(*allowed) for m in members):
        raise ReflectingTeamError(
            _(
                "Im Team können nur Lotsinnen und Lotsen, Mentorinnen und Mentoren oder Trainerinnen und Trainer sein."
            ),
            "members",
        )
    low, high = config["RT_MIN_MEMBERS"], config["RT_MAX_MEMBERS"]
    if not low <= len(members) <= high:
        raise ReflectingTeamError(
            _("Das Reflecting Team braucht %(low)d bis %(high)d Personen.", low=low, high=high),
            "members",
        )
    method = find_method(method_slug or "")
    if method is None:
        raise ReflectingTeamError(
            _("Bitte wählen Sie eine Methode aus der Methodenbibliothek."), "method_slug"
        )
    return method


def _notify(user, subject, body, session):
    """Queue a short German mail with a link to the session."""
    link = external_url("reflecting_team.show_session", session_id=session.id)
    mail.queue(user.email, subject, f"{body}\n\n{link}\n")


def create_session(
    trainer, *, held_on, case_owner, members, method_slug, title="", q2_session_id=None, notify=True
):
    """A trainer sets up a session: day, case owner, team and method."""
    if not trainer.has_role(Role.TRAINER):
        raise ReflectingTeamError(
            _("Nur Trainerinnen und Trainer legen Reflecting-Team-Sitzungen an.")
        )
    method = _check_frame(trainer, held_on, case_owner, members, method_slug, title, q2_session_id)
    session = RTSession(
        title=(title or "").strip() or _("Reflecting Team mit %(name)s", name=case_owner.name),
        held_on=held_on,
        q2_session_id=q2_session_id,
        method_slug=method.slug,
        method_title=method.title,
        trainer=trainer,
        case_owner=case_owner,
        members=[RTMember(user=m) for m in members],
    )
    db.session.add(session)
    db.session.flush()
    audit.record(
        "reflecting_team.session_created",
        session,
        actor=trainer,
        subject=case_owner,
        held_on=held_on,
        method=method.slug,
        members=[m.id for m in members],
        q2_session_id=q2_session_id,
    )
    if notify:
        _notify(
            case_owner,
            _("Reflecting Team: Ihr Fall ist gefragt"),
            _(
                "Sie bringen am %(day)s einen Fall in das Reflecting Team ein. Bitte beschreiben Sie ihn vorher im LMS.",
                day=held_on.strftime("%d.%m.%Y"),
            ),
            session,
        )
        for member in members:
            _notify(
                member,
                _("Reflecting Team: Sie sind im Team"),
                _(
                    "Sie gehören am %(day)s zum Reflecting Team für %(name)s.",
                    day=held_on.strftime("%d.%m.%Y"),
                    name=case_owner.name,
                ),
                session,
            )
    return session


def update_session(
    session, actor, *, held_on, case_owner, members, method_slug, title="", q2_session_id=None
):
    """The trainer changes the frame of an open session; written texts keep their authors."""
    if not policy.can_manage(actor, session):
        raise ReflectingTeamError(_("Nur die Trainerin / der Trainer der Sitzung kann sie ändern."))
    if session.closed:
        raise ReflectingTeamError(
            _("Die Sitzung ist abgeschlossen und kann nicht mehr geändert werden.")
        )
    method = _check_frame(actor, held_on, case_owner, members, method_slug, title, q2_session_id)
    if session.case is not None and case_owner.id != session.case_owner_id:
        raise ReflectingTeamError(
            _("Der Fall ist schon beschrieben; die fallgebende Person bleibt."), "case_owner"
        )
    keep = {m.id for m in members}
    writers = {r.author_id for r in session.reflections}
    if writers - keep:
        raise ReflectingTeamError(_("Wer schon reflektiert hat, bleibt im Team."), "members")
    before = {
        "held_on": session.held_on,
        "title": session.title,
        "method": session.method_slug,
        "members": [m.user_id for m in session.members],
        "case_owner": session.case_owner_id,
        "q2_session_id": session.q2_session_id,
    }
    session.held_on, session.q2_session_id = held_on, q2_session_id
    session.title = (title or "").strip() or session.title
    session.method_slug, session.method_title = method.slug, method.title
    session.case_owner = case_owner
    current = {m.user_id for m in session.members}
    session.members = [m for m in session.members if m.user_id in keep] + [
        RTMember(user=u) for u in members if u.id not in current
    ]
    db.session.flush()
    after = {
        "held_on": held_on,
        "title": session.title,
        "method": method.slug,
        "members": [m.user_id for m in session.members],
        "case_owner": case_owner.id,
        "q2_session_id": q2_session_id,
    }
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changed:
        audit.record(
            "reflecting_team.session_updated",
            session,
            actor=actor,
            subject=case_owner,
            changed=changed,
        )
    return changed


def close_session(session, actor):
    """The trainer closes the session: its texts are locked, corrections become amendments."""
    if not policy.can_manage(actor, session):
        raise ReflectingTeamError(
            _("Nur die Trainerin / der Trainer der Sitzung kann sie abschließen.")
        )
    if session.closed:
        raise ReflectingTeamError(_("Die Sitzung ist bereits abgeschlossen."))
    session.closed_at, session.closed_by = utcnow(), actor
    db.session.flush()
    audit.record(
        "reflecting_team.session_closed",
        session,
        actor=actor,
        subject=session.case_owner,
        reflections=len(session.reflections),
        case=session.case is not None,
    )
    if session.case is not None and session.self_reflection is None:
        _notify(
            session.case_owner,
            _("Reflecting Team: Ihre Selbstreflexion"),
            _(
                "Die Sitzung ist abgeschlossen. Bitte halten Sie fest, was Sie mitnehmen und was Sie ausprobieren werden."
            ),
            session,
        )
    return session


# -- texts ------------------------------------------------------------------------------------


def _clean(fields, required=(), at_least_one=None):
    """Strip texts, check lengths and required fields; return the cleaned dict."""
    cleaned = {k: (v or "").strip() for k, v in fields.items()}
    for key, value in cleaned.items():
        if len(value) > TEXT_MAX:
            raise ReflectingTeamError(_("Höchstens %(n)d Zeichen.", n=TEXT_MAX), key)
    for key in required:
        if not cleaned[key]:
            raise ReflectingTeamError(_("Bitte füllen Sie dieses Feld aus."), key)
    if at_least_one and not any(cleaned[k] for k in at_least_one):
        raise ReflectingTeamError(
            _("Bitte schreiben Sie mindestens eines: Beobachtungen, Hypothesen oder Ideen."),
            at_least_one[0],
        )
    return cleaned


def _save_text(record, fields, actor, action, subject):
    """Write the fields to a new or revised text and log which fields changed.

    The audit log is readable by admins, whom the reflecting team's confidentiality
    excludes: it records ids, field names and lengths (and who and when), never wording.
    """
    revised = record.id is not None
    old = {k: getattr(record, k) for k in fields} if revised else {}
    for key, value in fields.items():
        setattr(record, key, value)
    record.updated_at = utcnow()
    db.session.add(record)
    db.session.flush()
    if revised:
        changed = sorted(k for k in fields if old[k] != fields[k])
        if changed:
            audit.record(
                f"reflecting_team.{record.kind}_revised",
                record,
                actor=actor,
                subject=subject,
                session=record.session_id,
                changed=changed,
                lengths={k: len(fields[k]) for k in changed},
            )
    else:
        audit.record(
            action,
            record,
            actor=actor,
            subject=subject,
            session=record.session_id,
            lengths={k: len(v) for k, v in fields.items()},
        )
    return record


def submit_case(session, user, *, situation, firms, question):
    """The case owner describes (or, until closing, revises) their case."""
    if not policy.is_case_owner(user, session):
        raise ReflectingTeamError(_("Nur die fallgebende Person beschreibt den Fall."))
    if session.closed:
        raise ReflectingTeamError(
            _("Die Sitzung ist abgeschlossen. Korrekturen fügen Sie als Nachtrag hinzu.")
        )
    fields = _clean(
        {"situation": situation, "firms": firms, "question": question},
        required=("situation", "firms", "question"),
    )
    for key, value in fields.items():
        if EMAIL_IN_TEXT.search(value):
            raise ReflectingTeamError(
                _("Bitte keine E-Mail-Adressen oder andere personenbezogenen Daten Dritter."), key
            )
    first = session.case is None
    record = session.case or RTCase(session=session, author=user)
    _save_text(record, fields, user, "reflecting_team.case_submitted", user)
    if first:
        for member in session.member_users:
            _notify(
                member,
                _("Reflecting Team: Der Fall ist beschrieben"),
                _(
                    "%(name)s hat den Fall für die Sitzung am %(day)s beschrieben.",
                    name=user.name,
                    day=session.held_on.strftime("%d.%m.%Y"),
                ),
                session,
            )
    return record


def record_reflection(session, user, *, observations, hypotheses, ideas):
    """A team member records (or, until closing, revises) their reflection."""
    if not policy.is_member(user, session):
        raise ReflectingTeamError(_("Nur Mitglieder des Reflecting Teams reflektieren hier."))
    if session.closed:
        raise ReflectingTeamError(
            _("Die Sitzung ist abgeschlossen. Korrekturen fügen Sie als Nachtrag hinzu.")
        )
    if session.case is None:
        raise ReflectingTeamError(_("Der Fall ist noch nicht beschrieben."))
    fields = _clean(
        {"observations": observations, "hypotheses": hypotheses, "ideas": ideas},
        at_least_one=("observations", "hypotheses", "ideas"),
    )
    record = session.reflection_of(user) or RTReflection(session=session, author=user)
    return _save_text(
        record, fields, user, "reflecting_team.reflection_recorded", session.case_owner
    )


def record_self_reflection(session, user, *, takeaways, next_steps):
    """The case owner records the closing self-reflection (final once the session is closed)."""
    if not policy.is_case_owner(user, session):
        raise ReflectingTeamError(_("Nur die fallgebende Person schreibt die Selbstreflexion."))
    if session.case is None:
        raise ReflectingTeamError(_("Bitte beschreiben Sie zuerst Ihren Fall."))
    if session.self_reflection is None and not policy.self_reflection_due(session):
        raise ReflectingTeamError(_("Die Selbstreflexion schreiben Sie nach der Sitzung."))
    if session.self_reflection is not None and session.closed:
        raise ReflectingTeamError(
            _("Ihre Selbstreflexion ist abgeschlossen. Korrekturen fügen Sie als Nachtrag hinzu.")
        )
    fields = _clean(
        {"takeaways": takeaways, "next_steps": next_steps}, required=("takeaways", "next_steps")
    )
    record = session.self_reflection or RTSelfReflection(session=session, author=user)
    return _save_text(record, fields, user, "reflecting_team.self_reflection_recorded", user)


def find_text(session, kind, record_id):
    """Return the case, reflection or self-reflection ``record_id`` of ``session``, or None."""
    model = TEXT_KINDS.get(kind)
    record = db.session.get(model, record_id) if model else None
    return record if record is not None and record.session_id == session.id else None


def add_amendment(record, user, body):
    """The author adds a correction to a locked text; the text itself stays unchanged."""
    if record.author_id != user.id:
        raise ReflectingTeamError(_("Nur wer den Text geschrieben hat, kann ihn ergänzen."))
    if not policy.locked(record):
        raise ReflectingTeamError(_("Solange die Sitzung offen ist, ändern Sie den Text direkt."))
    body = _clean({"body": body}, required=("body",))["body"]
    amendment = RTAmendment(
        session_id=record.session_id,
        target_kind=record.kind,
        target_id=record.id,
        author_id=user.id,
        body=body,
    )
    db.session.add(amendment)
    db.session.flush()
    audit.record(
        "reflecting_team.amendment_added",
        amendment,
        actor=user,
        subject=record.session.case_owner,
        session=record.session_id,
        amends=f"{record.kind}:{record.id}",
        length=len(body),
    )
    return amendment
