"""The trainer's package report: every learner (never started too), a page at a time,
filtered and sorted, in plain German; the CSV streamed with local times and safe cells."""

import csv
import io
from datetime import datetime

import pytest
from q1_helpers import origin, payload

from lotse_lms.core.timeutil import BERLIN
from lotse_lms.extensions import db
from lotse_lms.modules.q1 import reports, tracking
from lotse_lms.modules.q1.models import ScormRegistration


@pytest.fixture
def version(import_fixture):
    """An imported single-SCO SCORM 1.2 package."""
    return import_fixture("RuntimeBasicCalls_SCORM12")


@pytest.fixture
def result(client, launch):
    """Factory: ``user`` launches the package and commits a score and status."""

    def factory(user, version, raw="91.666", status="passed"):
        attempt, token = launch(user, version)
        calls = [
            ("cmi.core.score.raw", raw),
            ("cmi.core.lesson_status", status),
            ("cmi.core.session_time", "00:10:00"),
        ]
        body = payload(attempt, calls, terminated=True)
        answer = client.post(f"/scorm-content/commit/{token}", json=body, base_url=origin(version))
        assert answer.status_code == 200
        return attempt

    return factory


def learners(make_user, n, prefix="Lernende"):
    """``n`` participants without passwords (fast)."""
    return [make_user(name=f"{prefix} {i:02d}", password=None) for i in range(n)]


def test_report_lists_who_never_started_and_filters(client, login_as, make_user, result, version):
    passed, failed = make_user(name="Anna Bestanden"), make_user(name="Bernd Durchgefallen")
    idle = make_user(name="Clara Nochnicht")
    result(passed, version)
    result(failed, version, raw="40", status="failed")
    login_as("trainer")
    url = f"/q1/packages/{version.package_id}/report"
    html = client.get(url).get_data(as_text=True)
    assert "91,7\u00a0%" in html and "nicht bestanden" in html
    row = html.split("Clara Nochnicht", 1)[1].split("</tr>", 1)[0]
    assert "nicht begonnen" in row
    only_idle = client.get(url, query_string={"status": "not_started"}).get_data(as_text=True)
    assert idle.name in only_idle and passed.name not in only_idle
    found = client.get(url, query_string={"q": "durchgef"}).get_data(as_text=True)
    assert failed.name in found and passed.name not in found and "1 Eintrag" in found


def test_report_pages_and_sorts(client, login_as, make_user, result, version):
    people = learners(make_user, 55)
    result(people[7], version)
    login_as("trainer")
    url = f"/q1/packages/{version.package_id}/report"
    first = client.get(url).get_data(as_text=True)
    assert "Seite 1 von 2" in first and "Lernende 00" in first and "Lernende 54" not in first
    second = client.get(url, query_string={"page": 2}).get_data(as_text=True)
    assert "Lernende 54" in second and "Lernende 00" not in second
    by_score = client.get(url, query_string={"sort": "score", "dir": "desc"})
    body = by_score.get_data(as_text=True).split("<tbody>", 1)[1]
    assert body.index("Lernende 07") < body.index("Lernende 00")


def test_report_and_csv_queries_do_not_grow_with_learners(
    client, login_as, make_user, result, version, count_queries
):
    login_as("trainer")
    pid = version.package_id
    figures = []
    for n in (3, 30):
        for user in learners(make_user, n - len(figures) * 3, prefix=f"L{n}"):
            result(user, version)
        page, _ = count_queries(client.get, f"/q1/packages/{pid}/report")
        export, _ = count_queries(client.get, f"/q1/packages/{pid}/report.csv")
        detail, _ = count_queries(client.get, f"/q1/packages/{pid}/report/{user.id}")
        figures.append((page, export, detail))
    assert figures[0] == figures[1]


def test_learner_detail_in_plain_german(client, login_as, make_user, result, version):
    learner = make_user(name="Dora Detail")
    result(learner, version, raw="91.666")
    login_as("trainer")
    html = client.get(f"/q1/packages/{version.package_id}/report/{learner.id}").get_data(
        as_text=True
    )
    assert "bestanden" in html and "91,7\u00a0%" in html
    for raw in ("passed", "completed", "unknown", "91.67", "92 %"):
        assert raw not in html.split("<main", 1)[-1]


def test_csv_streams_local_times_and_neutralises_every_cell(
    client, login_as, make_user, result, version
):
    evil = make_user(name="Eva Formel", email="=2*3+cmd|'/ccalc'!a972@evil.example")
    make_user(name="@Fritz Nie", password=None)
    result(evil, version)
    login_as("trainer")
    response = client.get(f"/q1/packages/{version.package_id}/report.csv")
    assert response.mimetype == "text/csv"
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    header = rows[0]
    assert "Sitzungen in Lektionen" in header and "Versuche im Wissenscheck" in header
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    eva = by_name["Eva Formel"]
    assert eva["E-Mail"] == "'=2*3+cmd|'/ccalc'!a972@evil.example"
    assert eva["Status"] == "bestanden" and eva["Punktzahl (%)"] == "91,7"
    assert eva["Sitzungen in Lektionen"] == "1" and eva["Versuche im Wissenscheck"] == "0"
    opened = datetime.strptime(eva["Zuletzt geöffnet"], "%d.%m.%Y %H:%M").replace(tzinfo=BERLIN)
    stored = db.session.scalar(
        db.select(ScormRegistration.last_accessed).filter_by(user_id=evil.id)
    )
    assert abs((opened - stored).total_seconds()) < 60
    assert by_name["'@Fritz Nie"]["Status"] == "nicht begonnen"


def test_csv_is_one_statement_however_many_chunks_it_streams(
    client, login_as, make_user, result, version, count_queries, monkeypatch
):
    """The export reads its rows a chunk at a time from one cursor: the session counts come
    with the rows, not from a lookup per chunk (with 2 rows a chunk, 4 or 20 learners)."""
    monkeypatch.setattr(reports, "CSV_CHUNK", 2)
    login_as("trainer")
    url = f"/q1/packages/{version.package_id}/report.csv"
    figures = []
    for n, idle in ((2, 2), (12, 6)):
        for user in learners(make_user, n, prefix=f"S{n}"):
            result(user, version)
        learners(make_user, idle, prefix=f"Idle{n}")
        queries, response = count_queries(client.get, url)
        rows = list(
            csv.DictReader(
                io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"
            )
        )
        started = [r for r in rows if r["Name"].startswith(f"S{n} ")]
        assert len(started) == n and {r["Sitzungen in Lektionen"] for r in started} == {"1"}
        assert {r["Status"] for r in started} == {"bestanden"}
        figures.append(queries)
    assert len(rows) > 5 * reports.CSV_CHUNK
    assert figures[0] == figures[1]


def test_csv_counts_launches_of_a_scored_item_as_check_attempts(
    client, login_as, make_user, version
):
    """An item with a passing score is a knowledge check: its launches count there, in the
    CSV as on the report page."""
    entries = [dict(e) for e in version.toc]
    entries[0] = {**entries[0], "settings": {**entries[0]["settings"], "scaled_passing_score": 0.8}}
    version.toc = entries
    db.session.commit()
    learner = make_user(name="Kai Check", password=None)
    for _ in range(2):
        tracking.launch_item(learner, version, entries[0]["id"])
        db.session.commit()
    login_as("trainer")
    text = client.get(f"/q1/packages/{version.package_id}/report.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    kai = next(r for r in rows if r["Name"] == "Kai Check")
    assert (kai["Sitzungen in Lektionen"], kai["Versuche im Wissenscheck"]) == ("0", "2")
