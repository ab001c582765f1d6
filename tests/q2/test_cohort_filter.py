"""Q2 session management narrows to the sessions and registrations of one cohort."""

import csv
import io

from lotse_lms.extensions import db
from lotse_lms.modules.q2 import registrations

from ..cohorts.conftest import join, make_cohort, people  # noqa: F401 - the cohort factory fixture
from .conftest import berlin


def _enrol(persons, session):
    """Enrol ``persons`` in ``session`` (committed)."""
    for person in persons:
        registrations.enrol(person, session.id)
    db.session.commit()


def test_the_manage_list_and_export_show_only_the_cohort(
    client,
    login_as,
    make_user,
    make_cohort,  # noqa: F811
    new_session,
    count_queries,
):
    inside = make_cohort(name="Innen")
    ours = new_session(title="Unser Termin", capacity=100)
    theirs = new_session(title="Fremder Termin", dates=[(berlin(20, 9), berlin(20, 12))])
    members = people(make_user, 3, "Innen")
    join(inside, members)
    _enrol(members, ours)
    _enrol(people(make_user, 2, "Fremd"), theirs)
    login_as("foundation")
    url = f"/q2/manage?cohort={inside.id}"
    few, response = count_queries(client.get, url)
    html = response.get_data(as_text=True)
    assert "Unser Termin" in html and "Fremder Termin" not in html
    more = people(make_user, 27, "Mehr")
    join(inside, more)
    _enrol(more, ours)
    many, _response = count_queries(client.get, url)
    assert few == many
    assert "Fremder Termin" in client.get("/q2/manage").get_data(as_text=True)
    export = client.get(f"/q2/manage/export.csv?cohort={inside.id}").get_data(as_text=True)
    names = {
        row[4] for row in list(csv.reader(io.StringIO(export.lstrip("\ufeff")), delimiter=";"))[1:]
    }
    assert len(names) == 30 and not any(n.startswith("Fremd") for n in names)
