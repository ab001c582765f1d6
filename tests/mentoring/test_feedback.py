"""Feedback entries: explicit visibility, validation, revisions kept, replies, the portfolio API."""

from datetime import date, timedelta

import pytest

from lotse_lms.core.models import AuditEntry, OutboxMail
from lotse_lms.extensions import db
from lotse_lms.mentoring import feedback, operations
from lotse_lms.mentoring.models import FeedbackEntry, FeedbackRevision
from lotse_lms.mentoring.validation import MentoringError

from .conftest import entry_data


def _count(model):
    """Number of rows of ``model``."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.mark.parametrize("visibility", [None, "", "public", "SHARED"])
def test_visibility_must_be_chosen_explicitly(cast, visibility):
    with pytest.raises(MentoringError) as exc:
        feedback.create_entry(cast.mentee, cast.mentor, **entry_data(visibility=visibility))
    assert exc.value.field == "visibility"
    assert "geteilt" in exc.value.message
    db.session.rollback()
    assert _count(FeedbackEntry) == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occurred_on": None}, "occurred_on", "gültiges Datum"),
        ({"occurred_on": date.today() + timedelta(days=3)}, "occurred_on", "Zukunft"),
        ({"occasion": "kaffeeklatsch"}, "occasion", "aus der Liste"),
        ({"occasion": "other", "occasion_other": "  "}, "occasion_other", "Anlass"),
        ({"occasion": "other", "occasion_other": "x" * 201}, "occasion_other", "200"),
        ({"observations": "   "}, "observations", "Beobachtungen"),
        ({"observations": "x" * 10_001}, "observations", "10000"),
        ({"next_steps": "x" * 5_001}, "next_steps", "5000"),
    ],
)
def test_bad_input_is_refused_with_a_german_message_on_its_field(cast, overrides, field, message):
    with pytest.raises(MentoringError) as exc:
        feedback.create_entry(cast.mentee, cast.mentor, **entry_data(**overrides))
    assert exc.value.field == field
    assert message in exc.value.message


def test_other_occasion_keeps_the_mentors_words(cast):
    entry = feedback.create_entry(
        cast.mentee, cast.mentor, **entry_data(occasion="other", occasion_other="Telefonat im Zug")
    )
    assert entry.occasion_label == "Telefonat im Zug"
    known = feedback.create_entry(
        cast.mentee, cast.mentor, **entry_data(occasion_other="ignoriert")
    )
    assert known.occasion_other == "" and "Q2" in known.occasion_label


@pytest.mark.config(MENTORING_OCCASIONS=["praxistag"])
def test_occasions_come_from_the_configuration(cast):
    entry = feedback.create_entry(cast.mentee, cast.mentor, **entry_data(occasion="praxistag"))
    assert entry.occasion_label == "praxistag"
    with pytest.raises(MentoringError):
        feedback.create_entry(cast.mentee, cast.mentor, **entry_data(occasion="q2_session"))


def test_nul_characters_are_dropped(cast):
    entry = feedback.create_entry(cast.mentee, cast.mentor, **entry_data(observations="a\x00b"))
    db.session.commit()
    assert entry.observations == "ab"


@pytest.mark.parametrize("who", ["other_mentor", "foundation", "trainer", "mentee", "admin"])
def test_only_the_current_mentor_records_feedback(cast, who):
    with pytest.raises(MentoringError, match="aktuelle Mentorin"):
        feedback.create_entry(cast.mentee, getattr(cast, who), **entry_data())


def test_a_shared_entry_tells_the_mentee_without_its_text(cast):
    db.session.execute(db.delete(OutboxMail))
    feedback.create_entry(cast.mentee, cast.mentor, **entry_data(observations="Geheimer Text"))
    feedback.create_entry(cast.mentee, cast.mentor, **entry_data(visibility="private"))
    db.session.commit()
    mails = db.session.scalars(db.select(OutboxMail)).all()
    assert [m.recipient for m in mails] == [cast.mentee.email]
    assert "Geheimer Text" not in mails[0].body


def test_revising_keeps_the_previous_version(cast, entries):
    entry = entries.private
    changed = feedback.revise_entry(
        entry,
        cast.mentor,
        **entry_data(visibility="shared", observations="Jetzt geteilt und ergänzt."),
    )
    db.session.commit()
    assert changed is True
    assert entry.version == 2 and entry.is_shared
    (old,) = entry.revisions
    assert old.version == 1 and old.observations == "Nur intern." and not old.is_shared
    audit = db.session.scalars(
        db.select(AuditEntry).filter_by(action="mentoring.entry_revised")
    ).one()
    assert audit.details["changed"] == ["observations", "visibility"]
    assert "Jetzt geteilt" not in str(audit.details)  # the log is readable by admins: no text


def test_an_unchanged_revision_saves_nothing(cast, entries):
    entry = entries.shared
    same = {
        name: getattr(entry, name)
        for name in (
            "occurred_on",
            "occasion",
            "occasion_other",
            "observations",
            "next_steps",
            "visibility",
        )
    }
    assert feedback.revise_entry(entry, cast.mentor, **same) is False
    assert _count(FeedbackRevision) == 0


def test_invalid_revision_changes_nothing(cast, entries):
    with pytest.raises(MentoringError):
        feedback.revise_entry(entries.shared, cast.mentor, **entry_data(observations=""))
    db.session.rollback()
    assert db.session.get(FeedbackEntry, entries.shared.id).observations == "Klare Moderation."
    assert _count(FeedbackRevision) == 0


def test_an_answered_entry_stays_shared(cast, entries):
    feedback.add_reply(entries.shared, cast.mentee, "Danke!")
    with pytest.raises(MentoringError, match="geantwortet") as exc:
        feedback.revise_entry(entries.shared, cast.mentor, **entry_data(visibility="private"))
    assert exc.value.field == "visibility"


def test_former_mentor_can_no_longer_revise(cast, entries):
    operations.assign_mentor(cast.mentee, cast.other_mentor, cast.foundation, "Wechsel")
    for who in (cast.mentor, cast.other_mentor, cast.foundation):
        with pytest.raises(MentoringError, match="geschrieben hat"):
            feedback.revise_entry(entries.shared, who, **entry_data(observations="neu"))


def test_mentor_who_lost_the_role_can_no_longer_write(cast, entries):
    from lotse_lms.accounts.operations import set_roles

    set_roles(cast.mentor, [], cast.foundation)
    with pytest.raises(MentoringError):
        feedback.create_entry(cast.mentee, cast.mentor, **entry_data())
    with pytest.raises(MentoringError):
        feedback.revise_entry(entries.shared, cast.mentor, **entry_data(observations="neu"))


def test_mentee_replies_to_shared_entries_only(cast, entries):
    reply = feedback.add_reply(entries.shared, cast.mentee, "  Danke, mache ich.  ")
    db.session.commit()
    assert reply.body == "Danke, mache ich." and reply.author.id == cast.mentee.id
    assert [r.body for r in entries.shared.replies] == ["Danke, mache ich."]
    with pytest.raises(MentoringError, match="private"):
        feedback.add_reply(entries.private, cast.mentee, "Was steht da?")
    with pytest.raises(MentoringError) as exc:
        feedback.add_reply(entries.shared, cast.mentee, " ")
    assert exc.value.field == "body"


def test_the_mentor_can_answer_a_reply_and_is_told_about_replies(cast, entries):
    db.session.execute(db.delete(OutboxMail))
    feedback.add_reply(entries.shared, cast.mentee, "Frage dazu?")
    feedback.add_reply(entries.shared, cast.mentor, "Antwort darauf.")
    db.session.commit()
    assert [
        m.recipient for m in db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id))
    ] == [cast.mentor.email, cast.mentee.email]


@pytest.mark.parametrize(
    "who", ["other_mentor", "foundation", "trainer", "other_participant", "reflecting", "admin"]
)
def test_nobody_else_replies(cast, entries, who):
    with pytest.raises(MentoringError):
        feedback.add_reply(entries.shared, getattr(cast, who), "Ich auch!")


def test_entries_shared_with_gives_the_portfolio_of_all_mentors(cast, entries):
    feedback.add_reply(entries.shared, cast.mentee, "Danke")
    operations.assign_mentor(cast.mentee, cast.other_mentor, cast.foundation, "Wechsel")
    later = feedback.create_entry(
        cast.mentee,
        cast.other_mentor,
        **entry_data(occurred_on=date.today(), occasion="own_experimentierraum"),
    )
    feedback.create_entry(cast.mentee, cast.other_mentor, **entry_data(visibility="private"))
    db.session.commit()
    shared = feedback.entries_shared_with(cast.mentee)
    assert [e.id for e in shared] == [entries.shared.id, later.id]
    first = shared[0]
    assert first.mentor.name == "Miriam Mentorin"
    assert isinstance(first.occurred_on, date) and first.created_at.tzinfo is not None
    assert first.occasion_label and first.observations and first.next_steps
    assert [(r.author.name, r.body) for r in first.replies] == [("Lena Lotsin", "Danke")]
    assert first.replies[0].created_at.tzinfo is not None
    assert feedback.entries_shared_with(cast.other_participant) == []
