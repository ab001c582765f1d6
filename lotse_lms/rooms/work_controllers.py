"""Views of the room's work: backlog, actions, experiment log, learning cards, public learnings."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from ..core.errors import Refusal
from ..core.forms import choices, save_form
from ..core.paging import Listing
from ..extensions import db
from . import policy, work
from . import work_experiments as experiments
from .blueprint import bp
from .meeting_controllers import COMMENTS_PER_PAGE, comment_url
from .models import Organisation
from .policy import load_room
from .work_forms import (
    ActionForm,
    ButtonForm,
    CommentForm,
    ExperimentForm,
    StatusForm,
    TopicForm,
    TopicStateForm,
)
from .work_models import (
    ACTION_STATES,
    DECISIONS,
    TOPIC_STATES,
    BacklogTopic,
    RoomAction,
    RoomActionComment,
    RoomExperiment,
)

PAGE = 25


def _item(model, item_id, room):
    """The room's ``model`` row ``item_id``, or 404."""
    item = db.session.get(model, item_id)
    if item is None or item.room_id != room.id:
        abort(404)
    return item


def _refused(exc):
    """Roll back and show a refusal of a button (a form with fields uses save_form)."""
    db.session.rollback()
    flash(exc.message, "error")


def _organisations(room):
    """(id, name) of the room's firms, by name."""
    ids = work.firm_ids(room)
    if not ids:
        return []
    return db.session.execute(
        db.select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(ids))
        .order_by(Organisation.name)
    ).all()


# --- topics ----------------------------------------------------------------------------------


@bp.route("/<int:room_id>/themen", methods=["GET", "POST"])
@login_required
def work_topics(room_id):
    """The topic backlog, most votes first; members propose and vote, the Lotse decides."""
    room = load_room(room_id, need="view")
    form = TopicForm()
    if save_form(
        form,
        lambda: work.propose_topic(room, current_user, form.title.data, form.description.data),
        _("Das Thema steht im Themenspeicher."),
        check=lambda: work.check_topic(form.title.data, form.description.data),
    ):
        return redirect(url_for("rooms.work_topics", room_id=room.id))
    listing = Listing.from_request(
        "rooms.work_topics", {"": BacklogTopic.id}, size=PAGE, room_id=room.id
    )
    topics = listing.fetch(
        work.topics_select(room).options(selectinload(BacklogTopic.proposed_by)), scalars=True
    )
    state_form = TopicStateForm()
    state_form.state.choices = choices(TOPIC_STATES.items())
    return render_template(
        "rooms/work_topics.html",
        room=room,
        form=form,
        topics=topics,
        listing=listing,
        voted=work.voted_topic_ids(current_user, [t.id for t in topics]),
        member=work.takes_part(current_user, room) and not room.is_closed,
        manager=policy.can_manage(current_user, room) and not room.is_closed,
        states=TOPIC_STATES,
        state_form=state_form,
        button=ButtonForm(),
    )


@bp.post("/<int:room_id>/themen/<int:topic_id>/stimme")
@login_required
def work_vote(room_id, topic_id):
    """Give or take back one's vote for a topic."""
    room = load_room(room_id, need="view", writing=True)
    topic = _item(BacklogTopic, topic_id, room)
    if ButtonForm().validate_on_submit():
        try:
            counted = work.toggle_vote(topic, room, current_user)
            db.session.commit()
        except Refusal as exc:
            _refused(exc)
        else:
            flash(
                _("Ihre Stimme zählt.") if counted else _("Ihre Stimme ist zurückgenommen."),
                "success",
            )
    return redirect(url_for("rooms.work_topics", room_id=room.id))


@bp.post("/<int:room_id>/themen/<int:topic_id>/stand")
@login_required
def work_topic_state(room_id, topic_id):
    """The Lotse marks a topic taken up, done or dropped."""
    room = load_room(room_id, need="manage", writing=True)
    topic = _item(BacklogTopic, topic_id, room)
    form = TopicStateForm()
    if form.validate_on_submit():
        try:
            work.set_topic_state(topic, room, current_user, form.state.data)
            db.session.commit()
        except Refusal as exc:
            _refused(exc)
        else:
            flash(_("Der Stand des Themas ist gespeichert."), "success")
    return redirect(url_for("rooms.work_topics", room_id=room.id))


# --- actions ---------------------------------------------------------------------------------


@bp.get("/<int:room_id>/aufgaben")
@login_required
def work_actions(room_id):
    """The room's actions, open ones by due date first."""
    room = load_room(room_id, need="view")
    listing = Listing.from_request(
        "rooms.work_actions", {"": RoomAction.id}, size=PAGE, room_id=room.id
    )
    actions = listing.fetch(
        work.actions_select(room).options(selectinload(RoomAction.owner)), scalars=True
    )
    return render_template(
        "rooms/work_actions.html",
        room=room,
        actions=actions,
        listing=listing,
        states=ACTION_STATES,
        manager=policy.can_manage(current_user, room) and not room.is_closed,
        today=work.today(),
    )


def _action_form(room, action=None):
    """The action form with the room's members to choose from."""
    form = ActionForm(obj=action)
    members = sorted(work.room_users(room).values(), key=lambda m: m.user.name.lower())
    form.owner_id.choices = choices(
        [("", _("– bitte wählen –"))] + [(m.user_id, m.user.name) for m in members]
    )
    form.status.choices = choices(ACTION_STATES.items())
    return form


def _action_values(form):
    """The action's fields from the form."""
    return (form.title.data, form.owner_id.data, form.due_on.data, form.status.data)


@bp.route("/<int:room_id>/aufgaben/neu", methods=["GET", "POST"])
@bp.route("/<int:room_id>/aufgaben/<int:action_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def work_action_form(room_id, action_id=None):
    """The Lotse agrees an action or changes one."""
    room = load_room(room_id, need="manage", writing=True)
    action = _item(RoomAction, action_id, room) if action_id else None
    form = _action_form(room, action)
    new = action is None or form.due_on.data != action.due_on

    def write():
        if action is None:
            return work.create_action(room, current_user, *_action_values(form))
        return work.update_action(action, room, current_user, *_action_values(form))

    saved = save_form(
        form,
        write,
        _("Die Aufgabe ist gespeichert."),
        check=lambda: work.check_action(room, *_action_values(form), new=new),
    )
    if saved:
        return redirect(url_for("rooms.work_action", room_id=room.id, action_id=saved.value.id))
    heading = _("Aufgabe ändern") if action else _("Neue Aufgabe")
    return render_template("rooms/work_form.html", room=room, form=form, heading=heading)


@bp.route("/<int:room_id>/aufgaben/<int:action_id>", methods=["GET", "POST"])
@login_required
def work_action(room_id, action_id):
    """One action with its comments; members comment, the owner moves its status."""
    room = load_room(room_id, need="view")
    action = _item(RoomAction, action_id, room)
    form = CommentForm()
    saved = save_form(
        form,
        lambda: work.comment_action(action, room, current_user, form.body.data),
        _("Ihr Kommentar ist gespeichert."),
        check=lambda: work.check_comment(form.body.data),
    )
    if saved:
        return redirect(
            comment_url(
                "rooms.work_action",
                RoomActionComment.action_id,
                saved.value,
                "comment",
                room_id=room.id,
                action_id=action.id,
            )
        )
    listing = Listing.from_request(
        "rooms.work_action",
        {"": RoomActionComment.id},
        size=COMMENTS_PER_PAGE,
        room_id=room.id,
        action_id=action.id,
    )
    comments = listing.fetch(
        db.select(RoomActionComment)
        .where(RoomActionComment.action_id == action.id)
        .options(db.selectinload(RoomActionComment.author)),
        scalars=True,
    )
    status_form = StatusForm(status=action.status)
    status_form.status.choices = choices(ACTION_STATES.items())
    return render_template(
        "rooms/work_action.html",
        room=room,
        action=action,
        form=form,
        comments=comments,
        listing=listing,
        states=ACTION_STATES,
        status_form=status_form,
        may_comment=work.takes_part(current_user, room) and not room.is_closed,
        may_status=work.may_set_status(current_user, action, room) and not room.is_closed,
        manager=policy.can_manage(current_user, room) and not room.is_closed,
        today=work.today(),
    )


@bp.post("/<int:room_id>/aufgaben/<int:action_id>/stand")
@login_required
def work_action_status(room_id, action_id):
    """The owner (or the Lotse) moves an action."""
    room = load_room(room_id, need="view", writing=True)
    action = _item(RoomAction, action_id, room)
    form = StatusForm()
    if not work.may_set_status(current_user, action, room):
        abort(403)
    if form.validate_on_submit():
        try:
            work.set_action_status(action, room, current_user, form.status.data)
            db.session.commit()
        except Refusal as exc:
            _refused(exc)
        else:
            flash(_("Der Stand der Aufgabe ist gespeichert."), "success")
    return redirect(url_for("rooms.work_action", room_id=room.id, action_id=action.id))


# --- experiments -----------------------------------------------------------------------------


@bp.get("/<int:room_id>/experimente")
@login_required
def work_experiments(room_id):
    """The experiment log, newest first."""
    room = load_room(room_id, need="view")
    listing = Listing.from_request(
        "rooms.work_experiments", {"": RoomExperiment.id}, size=PAGE, room_id=room.id
    )
    entries = listing.fetch(experiments.experiments_select(room), scalars=True)
    return render_template(
        "rooms/work_experiments.html",
        room=room,
        entries=entries,
        listing=listing,
        firms=dict(_organisations(room)),
        decisions=DECISIONS,
        manager=policy.can_manage(current_user, room) and not room.is_closed,
    )


def _experiment_values(form):
    """The entry's fields from the form."""
    return {
        "question": form.question.data,
        "tried": form.tried.data,
        "organisation_id": form.organisation_id.data,
        "result": form.result.data,
        "decision": form.decision.data,
        "decided_on": form.decided_on.data,
    }


@bp.route("/<int:room_id>/experimente/neu", methods=["GET", "POST"])
@bp.route("/<int:room_id>/experimente/<int:entry_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def work_experiment_form(room_id, entry_id=None):
    """The Lotse records an experiment, its result and the decision."""
    room = load_room(room_id, need="manage", writing=True)
    entry = _item(RoomExperiment, entry_id, room) if entry_id else None
    form = ExperimentForm(obj=entry)
    form.organisation_id.choices = choices([("", _("– bitte wählen –")), *_organisations(room)])
    form.decision.choices = choices([("", _("– noch offen –")), *DECISIONS.items()])
    if save_form(
        form,
        lambda: experiments.save_experiment(room, current_user, entry, **_experiment_values(form)),
        _("Der Eintrag im Experimentierprotokoll ist gespeichert."),
        check=lambda: experiments.check_experiment(room, **_experiment_values(form)),
    ):
        return redirect(url_for("rooms.work_experiments", room_id=room.id))
    heading = _("Experiment fortschreiben") if entry else _("Neues Experiment")
    hint = _(
        "Was funktioniert, wird weitergemacht; was nicht funktioniert, wird geändert oder verworfen."
    )
    return render_template("rooms/work_form.html", room=room, form=form, heading=heading, hint=hint)
