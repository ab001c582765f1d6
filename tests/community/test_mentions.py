"""@mentions: three-part names, capitals outside ASCII (SQLite and PostgreSQL), autocomplete."""

import sqlalchemy as sa

from lotse_lms.community import mentions, operations
from lotse_lms.community.notify_models import MENTION, Notification
from lotse_lms.extensions import db

from ..cohorts.conftest import join
from ..conftest import login


def _mentioned(user):
    return db.session.scalars(
        sa.select(Notification.post_id).where(
            Notification.user_id == user.id, Notification.kind == MENTION
        )
    ).all()


def _people(classroom, make_user):
    """Members with a three-part name and names with capitals outside ASCII."""
    people = {
        name: make_user("participant", name=name)
        for name in ("Anna Maria Schulz", "Anna Maria", "Özlem Şahin", "Łukasz Nowak")
    }
    join(classroom["cohort"], list(people.values()))
    db.session.commit()
    return people


def test_three_part_names_and_non_ascii_capitals_are_recognised(classroom, make_user, told):
    people = _people(classroom, make_user)
    thread = operations.create_thread(classroom["space"], classroom["trainer"], "Runde", "Los")
    full = operations.reply(thread, classroom["trainer"], "@Anna Maria Schulz, bitte übernehmen")
    told()
    assert _mentioned(people["Anna Maria Schulz"]) == [full.id]
    assert _mentioned(people["Anna Maria"]) == []  # the longest name that exists wins
    short = operations.reply(thread, classroom["trainer"], "Und @Anna Maria: danke!")
    told()
    assert _mentioned(people["Anna Maria"]) == [short.id]
    lower = operations.reply(thread, classroom["trainer"], "@özlem şahin und @ŁUKASZ NOWAK?")
    told()
    assert _mentioned(people["Özlem Şahin"]) == [lower.id]
    assert _mentioned(people["Łukasz Nowak"]) == [lower.id]
    assert mentions.mentioned("kein @ hier und mail@example.org") == []


def test_autocomplete_offers_members_of_the_space_only(app, classroom, other_classroom, make_user):
    people = _people(classroom, make_user)
    make_user("participant", name="Özgür Fremd")  # not in this cohort
    join(other_classroom["cohort"], [make_user("participant", name="Anna Anders")])
    db.session.commit()
    client = app.test_client()
    assert login(client, classroom["participant"].email).status_code == 302
    url = f"/community/bereich/{classroom['space'].id}/mitglieder"

    def names(text):
        answer = client.get(url, query_string={"q": text})
        assert answer.status_code == 200
        return [person["name"] for person in answer.get_json()["people"]]

    assert names("öz") == names("ÖZ") == ["Özlem Şahin"]
    assert names("şah") == ["Özlem Şahin"]  # a later word of the name
    assert names("łu") == ["Łukasz Nowak"]
    assert names("anna maria s") == ["Anna Maria Schulz"]
    assert names("an") == ["Anna Maria", "Anna Maria Schulz"]
    assert names("") == [] and names("%") == []
    for n in range(12):
        join(classroom["cohort"], [make_user("participant", name=f"Zora {n:02d}")])
    db.session.commit()
    assert len(names("zo")) == mentions.SUGGESTIONS
    stranger = app.test_client()
    assert login(stranger, other_classroom["participant"].email).status_code == 302
    assert stranger.get(url, query_string={"q": "an"}).status_code == 404
    anonymous = app.test_client().get(url, query_string={"q": "an"})
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    assert people  # the members exist
