"""Who may read, write, revise and answer which record: every role against every record."""

import pytest

from lotse_lms.extensions import db
from lotse_lms.mentoring import feedback, operations, policy

ROLES = [
    "mentee",
    "mentor",
    "other_mentor",
    "foundation",
    "trainer",
    "other_participant",
    "reflecting",
    "admin",
]

#: Who may read each kind of record, the rest may not.
READ = {
    "shared": {"mentee", "mentor", "foundation"},
    "private": {"mentor", "foundation"},
}
#: Who may revise and who may answer an entry of the mentor (while the mentor is current).
REVISE = {"shared": {"mentor"}, "private": {"mentor"}}
REPLY = {"shared": {"mentee", "mentor"}, "private": set()}


@pytest.mark.parametrize("kind", ["shared", "private"])
@pytest.mark.parametrize("who", ROLES)
def test_entry_access_by_role(cast, entries, kind, who):
    user = getattr(cast, who)
    entry = getattr(entries, kind)
    assert policy.can_read_entry(user, entry) is (who in READ[kind])
    assert policy.can_revise_entry(user, entry) is (who in REVISE[kind])
    assert policy.can_reply(user, entry) is (who in REPLY[kind])
    listed = {e.id for e in feedback.entries_visible_to(user, cast.mentee)}
    assert (entry.id in listed) is (who in READ[kind])


@pytest.mark.parametrize("who", ROLES)
def test_mentee_page_and_writing_by_role(cast, who):
    user = getattr(cast, who)
    assert policy.can_view_mentee(user, cast.mentee) is (who in {"mentor", "foundation"})
    assert policy.can_write_feedback(user, cast.mentee) is (who == "mentor")
    assert policy.can_assign(user) is (who in {"foundation", "trainer"})


@pytest.mark.parametrize("who", ROLES)
def test_recommendation_access_by_role(cast, who):
    rec = operations.recommend(cast.mentee, cast.mentor, "not_yet", "Noch nicht.")
    db.session.commit()
    expected = who in {"mentee", "mentor", "foundation"}
    assert policy.can_read_recommendation(getattr(cast, who), rec) is expected


def test_former_mentor_reads_own_entries_only_and_cannot_write(cast, entries):
    operations.assign_mentor(cast.mentee, cast.other_mentor, cast.foundation, "Wechsel")
    newer = feedback.create_entry(
        cast.mentee,
        cast.other_mentor,
        occurred_on=entries.shared.occurred_on,
        occasion="q2_session",
        observations="Neu",
        visibility="shared",
    )
    db.session.commit()
    old, new = cast.mentor, cast.other_mentor
    assert policy.can_view_mentee(old, cast.mentee) and not policy.can_write_feedback(
        old, cast.mentee
    )
    assert policy.can_read_entry(old, entries.private) and not policy.can_revise_entry(
        old, entries.private
    )
    assert not policy.can_reply(old, entries.shared)
    assert not policy.can_read_entry(old, newer)
    # The new mentor does not read the former mentor's entries, private or shared.
    assert not policy.can_read_entry(new, entries.private)
    assert not policy.can_read_entry(new, entries.shared)
    assert policy.can_write_feedback(new, cast.mentee)


def test_a_mentee_never_reads_private_notes_on_themselves_even_as_staff(cast, entries):
    from lotse_lms.accounts.operations import set_roles

    set_roles(cast.mentee, ["participant", "foundation"], cast.admin)
    assert not policy.can_read_entry(cast.mentee, entries.private)
    assert policy.can_read_entry(cast.mentee, entries.shared)
    assert not policy.can_view_mentee(cast.mentee, cast.mentee)


def test_revisions_seen_by_the_mentee_only_once_they_were_shared(cast, entries):
    feedback.revise_entry(
        entries.private,
        cast.mentor,
        occurred_on=entries.private.occurred_on,
        occasion="q2_session",
        observations="Jetzt für Lena.",
        visibility="shared",
    )
    feedback.revise_entry(
        entries.private,
        cast.mentor,
        occurred_on=entries.private.occurred_on,
        occasion="q2_session",
        observations="Noch einmal ergänzt.",
        visibility="shared",
    )
    db.session.commit()
    versions = {r.version: r for r in entries.private.revisions}
    assert not policy.can_see_revision(cast.mentee, entries.private, versions[1])
    assert policy.can_see_revision(cast.mentee, entries.private, versions[2])
    assert policy.can_see_revision(cast.foundation, entries.private, versions[1])
    assert not policy.can_see_revision(cast.trainer, entries.private, versions[2])


def test_a_trainer_reads_private_entries_only_when_also_foundation(cast, entries, person):
    both = person("trainer", "foundation", name="Trainerin und Stiftung")
    assert policy.can_read_entry(both, entries.private)
    assert not policy.can_read_entry(cast.trainer, entries.private)
    assert not policy.can_revise_entry(both, entries.private)
