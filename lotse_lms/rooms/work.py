"""Verbs of the room's work: the topic backlog and its votes, actions and comments, experiments.

Who may do what: members (the Lotse, co-leads, firm contacts) propose topics, vote and
comment; the room's managers (lead, co-lead, foundation) decide a topic's state, agree actions
and keep the experiment log; an action's owner moves its status. Every change is audited.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..core import audit
from ..core.errors import Refusal, collect
from ..core.text import check_single_line
from ..core.timeutil import BERLIN, utcnow
from ..extensions import db
from . import policy
from .models import CO_LEAD, FIRM_CONTACT, LEAD, RoomMember
from .work_models import (
    ACTION_STATES,
    TOPIC_STATES,
    BacklogTopic,
    BacklogVote,
    RoomAction,
    RoomActionComment,
)

MAX_TITLE, MAX_TEXT, MAX_COMMENT = 200, 5000, 5000
#: Room roles that take part in the work (propose, vote, comment, own actions); the room's
#: mentor and the foundation follow it.
TAKING_PART = (LEAD, CO_LEAD, FIRM_CONTACT)


class WorkError(Refusal):
    """A request about the room's topics, actions, experiments or cards that cannot be done."""


def today():
    """Today in Berlin (due dates and decisions are days there)."""
    return utcnow().astimezone(BERLIN).date()


def clean(refuse, value, field, maximum, required=None, single_line=False):
    """``value`` stripped and checked (required, length, one line); refusals go to ``refuse``."""
    text = (value or "").replace("\x00", "").strip()
    if single_line:
        refuse.check(check_single_line, text, field, WorkError)
    if required and not text:
        refuse(required, field)
    elif len(text) > maximum:
        refuse(_("Höchstens %(n)s Zeichen.", n=maximum), field)
    return text


def _need(allowed, message=None):
    """Refuse unless ``allowed``."""
    if not allowed:
        raise WorkError(message or _("Das dürfen Sie in diesem Experimentierraum nicht."))


def takes_part(user, room):
    """True for the room's lead, co-leads and firm contacts."""
    return policy.member_role(user, room) in TAKING_PART


def room_users(room):
    """``{user id: RoomMember}`` of those taking part in the room (one query)."""
    rows = db.session.scalars(
        sa.select(RoomMember).where(RoomMember.room_id == room.id, RoomMember.role.in_(TAKING_PART))
    ).all()
    return {row.user_id: row for row in rows}


# --- topic backlog ---------------------------------------------------------------------------


def check_topic(title, description):
    """The topic's fields cleaned; every problem refused at once."""
    with collect(WorkError) as refuse:
        title = clean(
            refuse, title, "title", MAX_TITLE, _("Bitte nennen Sie das Thema."), single_line=True
        )
        description = clean(refuse, description, "description", MAX_TEXT)
    return title, description


def propose_topic(room, user, title, description=""):
    """A member adds a topic to the backlog (flushed)."""
    policy.refuse_if_closed(room, WorkError)
    _need(takes_part(user, room), _("Nur Mitglieder des Raums schlagen Themen vor."))
    title, description = check_topic(title, description)
    topic = BacklogTopic(room_id=room.id, title=title, description=description, proposed_by=user)
    db.session.add(topic)
    db.session.flush()
    audit.record("rooms.topic_proposed", topic, actor=user, room=room.id)
    return topic


def toggle_vote(topic, room, user):
    """Give or take back the member's one vote for ``topic``; True when it now counts."""
    policy.refuse_if_closed(room, WorkError)
    _need(takes_part(user, room), _("Nur Mitglieder des Raums stimmen ab."))
    _need(topic.room_id == room.id)
    if topic.state in ("done", "dropped"):
        raise WorkError(_("Über erledigte oder verworfene Themen wird nicht mehr abgestimmt."))
    vote = db.session.get(BacklogVote, (topic.id, user.id))
    if vote is not None:
        db.session.delete(vote)
        db.session.flush()
        step = -1
    else:
        try:
            with db.session.begin_nested():
                db.session.add(BacklogVote(topic_id=topic.id, user_id=user.id))
        except IntegrityError:  # the same vote from a second click at the same moment
            return True
        step = 1
    # in SQL, so that two votes at the same moment both count
    db.session.execute(
        sa.update(BacklogTopic)
        .where(BacklogTopic.id == topic.id)
        .values(vote_count=BacklogTopic.vote_count + step)
    )
    db.session.refresh(topic)
    return step > 0


def set_topic_state(topic, room, user, state):
    """The Lotse marks a topic as taken up, done, dropped (or proposed again)."""
    policy.refuse_if_closed(room, WorkError)
    _need(policy.can_manage(user, room), _("Nur die Lotsin / der Lotse des Raums entscheidet das."))
    _need(topic.room_id == room.id)
    if state not in TOPIC_STATES:
        raise WorkError(_("Bitte wählen Sie einen Stand aus der Liste."), "state")
    before, topic.state = topic.state, state
    db.session.flush()
    audit.record("rooms.topic_state", topic, actor=user, before=before, after=state)
    return topic


def voted_topic_ids(user, topic_ids):
    """Ids among ``topic_ids`` the user voted for (one query)."""
    if not topic_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(BacklogVote.topic_id).where(
                BacklogVote.user_id == user.id, BacklogVote.topic_id.in_(topic_ids)
            )
        )
    )


def topics_select(room):
    """The room's backlog: open topics first, then by votes, then oldest first."""
    settled = sa.case((BacklogTopic.state.in_(("done", "dropped")), 1), else_=0)
    return (
        sa.select(BacklogTopic)
        .where(BacklogTopic.room_id == room.id)
        .order_by(settled, BacklogTopic.vote_count.desc(), BacklogTopic.id)
    )


# --- actions ---------------------------------------------------------------------------------


def check_action(room, title, owner_id, due_on, status, *, new=True):
    """The action's fields cleaned; the owner must be a member of the room."""
    with collect(WorkError) as refuse:
        title = clean(
            refuse, title, "title", 300, _("Bitte beschreiben Sie die Aufgabe."), single_line=True
        )
        owner = None
        try:
            owner_id = int(owner_id) if owner_id not in (None, "") else None
        except (TypeError, ValueError):
            owner_id = None
        if owner_id is None:
            refuse(_("Bitte wählen Sie, wer die Aufgabe übernimmt."), "owner_id")
        else:
            member = room_users(room).get(owner_id)
            if member is None:
                refuse(_("Die Aufgabe kann nur ein Mitglied des Raums übernehmen."), "owner_id")
            else:
                owner = member.user
        if not isinstance(due_on, date):
            refuse(_("Bitte geben Sie ein gültiges Datum an."), "due_on")
        elif new and due_on < today():
            refuse(_("Das Fälligkeitsdatum liegt in der Vergangenheit."), "due_on")
        if status not in ACTION_STATES:
            refuse(_("Bitte wählen Sie einen Stand aus der Liste."), "status")
    return title, owner, due_on, status


def create_action(room, user, title, owner_id, due_on, status="open"):
    """The Lotse agrees an action with a member (flushed)."""
    policy.refuse_if_closed(room, WorkError)
    _need(
        policy.can_manage(user, room), _("Nur die Lotsin / der Lotse des Raums legt Aufgaben an.")
    )
    title, owner, due_on, status = check_action(room, title, owner_id, due_on, status)
    action = RoomAction(
        room_id=room.id,
        title=title,
        owner=owner,
        due_on=due_on,
        status=status,
        created_by_id=user.id,
    )
    db.session.add(action)
    db.session.flush()
    audit.record("rooms.action_created", action, actor=user, owner=owner.id, due=str(due_on))
    return action


def update_action(action, room, user, title, owner_id, due_on, status):
    """The Lotse changes an action; a new due date means new reminders."""
    policy.refuse_if_closed(room, WorkError)
    _need(policy.can_manage(user, room), _("Nur die Lotsin / der Lotse des Raums ändert Aufgaben."))
    _need(action.room_id == room.id)
    new_due = due_on != action.due_on
    title, owner, due_on, status = check_action(room, title, owner_id, due_on, status, new=new_due)
    action.title, action.owner, action.status = title, owner, status
    if new_due:
        action.due_on = due_on
        action.reminded_before_at = action.reminded_overdue_at = None
    db.session.flush()
    audit.record("rooms.action_changed", action, actor=user, status=status, due=str(due_on))
    return action


def may_set_status(user, action, room):
    """True for the action's owner and the room's managers."""
    return action.owner_id == user.id or policy.can_manage(user, room)


def set_action_status(action, room, user, status):
    """The owner (or the Lotse) moves an action: offen, in Arbeit, erledigt, verworfen."""
    policy.refuse_if_closed(room, WorkError)
    _need(action.room_id == room.id)
    _need(may_set_status(user, action, room), _("Den Stand ändern die Verantwortlichen."))
    if status not in ACTION_STATES:
        raise WorkError(_("Bitte wählen Sie einen Stand aus der Liste."), "status")
    before, action.status = action.status, status
    db.session.flush()
    audit.record("rooms.action_status", action, actor=user, before=before, after=status)
    return action


def check_comment(body):
    """The comment's text cleaned."""
    with collect(WorkError) as refuse:
        body = clean(refuse, body, "body", MAX_COMMENT, _("Bitte schreiben Sie einen Kommentar."))
    return body


def comment_action(action, room, user, body):
    """A member comments on an action (flushed)."""
    policy.refuse_if_closed(room, WorkError)
    _need(action.room_id == room.id)
    _need(takes_part(user, room), _("Nur Mitglieder des Raums kommentieren Aufgaben."))
    body = check_comment(body)
    comment = RoomActionComment(action_id=action.id, author=user, body=body)
    db.session.add(comment)
    db.session.flush()
    audit.record("rooms.action_commented", action, actor=user, comment=comment.id)
    return comment


def actions_select(room):
    """The room's actions: open ones first by due date, then the settled ones."""
    settled = sa.case((RoomAction.status.in_(("done", "dropped")), 1), else_=0)
    return (
        sa.select(RoomAction)
        .where(RoomAction.room_id == room.id)
        .order_by(settled, RoomAction.due_on, RoomAction.id)
    )


# --- experiment log --------------------------------------------------------------------------


def firm_ids(room):
    """Ids of the organisations whose contacts are members of ``room``."""
    return set(
        db.session.scalars(
            sa.select(RoomMember.organisation_id).where(
                RoomMember.room_id == room.id, RoomMember.organisation_id.is_not(None)
            )
        )
    )
