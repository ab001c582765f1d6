"""Community pages: membership, posting with preview, errors, moderation, query counts."""

import re

import pytest
import sqlalchemy as sa

from lotse_lms.community import moderation, operations
from lotse_lms.community.models import Post, Space, Thread
from lotse_lms.extensions import db

from ..conftest import csrf_token, login
from ..privacy.conftest import lena, staff  # noqa: F401 - a certified Lotse and her staff


def _client(app, user):
    """A test client signed in as ``user``."""
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def _post(client, path, data, page=None):
    """Send a form with the CSRF token of ``page`` (or ``path``)."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page or path)})


def test_a_participant_of_another_cohort_never_sees_this_klassenzimmer(
    app, classroom, other_classroom
):
    thread = operations.create_thread(
        classroom["space"], classroom["participant"], "Unter uns", "Nur für Frühjahr"
    )
    post_id = thread.last_post_id
    db.session.commit()
    stranger = _client(app, other_classroom["participant"])
    for path in (
        f"/community/bereich/{classroom['space'].id}",
        f"/community/bereich/{classroom['space'].id}/thema",
        f"/community/thema/{thread.id}",
        f"/community/beitrag/{post_id}/bearbeiten",
        f"/community/beitrag/{post_id}/melden",
        f"/community/beitrag/{post_id}/ausblenden",
    ):
        assert stranger.get(path).status_code == 404, path
    index = stranger.get("/community/").get_data(as_text=True)
    assert "Herbst" in index and "Frühjahr" not in index
    member = _client(app, classroom["mentor"])
    assert "Unter uns" in member.get(f"/community/bereich/{classroom['space'].id}").get_data(
        as_text=True
    )


def test_a_participant_previews_then_posts_and_a_bad_form_keeps_what_was_typed(app, classroom):
    client = _client(app, classroom["participant"])
    path = f"/community/bereich/{classroom['space'].id}/thema"
    preview = _post(client, path, {"title": "Frage", "body": "**fett**", "action": "preview"})
    assert "<strong>fett</strong>" in preview.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Thread.id))) == 0
    bad = _post(client, path, {"title": "", "body": "<script>x</script>", "action": "send"})
    html = bad.get_data(as_text=True)
    assert "Bitte geben Sie einen Titel an." in html and "&lt;script&gt;x&lt;/script&gt;" in html
    both = _post(client, path, {"title": "", "body": " ", "action": "send"}).get_data(as_text=True)
    assert "Bitte geben Sie einen Titel an." in both and "Bitte schreiben Sie einen Text." in both
    summary = both[both.index('class="form-errors"') :]
    # the summary lists the errors in the page's order: title, then the post
    assert summary.index("Titel</a>:") < summary.index("Ihr Beitrag</a>:")
    assert both.index('id="title"') < both.index('role="toolbar"') < both.index('id="body"')
    assert both.index('for="body"') < both.index('role="toolbar"')  # the toolbar under its label
    done = _post(client, path, {"title": "Moderation", "body": "Wie *fange* ich an?"})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "<em>fange</em>" in page and "<script>" not in page


def test_a_trainer_quotes_answers_and_marks_the_question_solved(app, classroom):
    thread = operations.create_thread(
        classroom["space"], classroom["participant"], "Frage", "Wie geht das?"
    )
    db.session.commit()
    trainer = _client(app, classroom["trainer"])
    path = f"/community/thema/{thread.id}"
    quoted = trainer.get(f"{path}?zitat={thread.last_post_id}").get_data(as_text=True)
    assert "&gt; Wie geht das?" in quoted
    assert _post(trainer, path, {"body": "> Wie geht das?\n\nSo geht das."}).status_code == 302
    answer = db.session.scalar(sa.select(Post).order_by(Post.id.desc()))
    assert (
        _post(trainer, f"/community/beitrag/{answer.id}/geloest", {}, page=path).status_code == 302
    )
    assert db.session.get(Thread, thread.id).solved_post_id == answer.id
    asker = _client(app, classroom["participant"])
    page = asker.get(path).get_data(as_text=True)
    assert "Frage gelöst" in page and "<blockquote>" in page


def test_the_author_sees_why_a_post_was_hidden_and_others_do_not_see_it(app, classroom):
    thread = operations.create_thread(classroom["space"], classroom["trainer"], "Thema", "Start")
    post = operations.reply(thread, classroom["participant"], "Geheimer Text")
    moderation.hide_post(post, classroom["trainer"], "Bitte keine Kundennamen")
    db.session.commit()
    author = _client(app, classroom["participant"]).get(f"/community/thema/{thread.id}")
    assert "Bitte keine Kundennamen" in author.get_data(as_text=True)
    mentor = _client(app, classroom["mentor"])
    html = mentor.get(f"/community/thema/{thread.id}").get_data(as_text=True)
    assert "Von der Moderation ausgeblendet." in html and "Geheimer Text" not in html
    assert "Bitte keine Kundennamen" not in html
    assert mentor.get(f"/community/beitrag/{post.id}/melden").status_code == 404
    assert mentor.get(f"/community/thema/{thread.id}?zitat={post.id}").status_code == 200
    assert "Geheimer Text" not in mentor.get(
        f"/community/thema/{thread.id}?zitat={post.id}"
    ).get_data(as_text=True)


def test_participants_read_announcements_but_only_trainers_post_them(app, classroom):
    operations.ensure_defaults()
    db.session.commit()
    participant = _client(app, classroom["participant"])
    index = participant.get("/community/").get_data(as_text=True)
    space_id = re.search(r'/community/bereich/(\d+)">Ankündigungen', index).group(1)
    assert participant.get(f"/community/bereich/{space_id}/thema").status_code == 403
    trainer = _client(app, classroom["trainer"])
    path = f"/community/bereich/{space_id}/thema"
    assert (
        _post(trainer, path, {"title": "Treffen am 5. Mai", "body": "Bitte kommen"}).status_code
        == 302
    )
    assert "Treffen am 5. Mai" in participant.get("/").get_data(as_text=True)
    thread_id = db.session.scalar(sa.select(Thread.id))
    participant.get(f"/community/thema/{thread_id}")
    assert "Treffen am 5. Mai" not in participant.get("/").get_data(as_text=True)


def _fill(space, people, threads, posts):
    """``threads`` threads in ``space``, the first with ``posts`` posts, by alternating people."""
    first = None
    for n in range(threads):
        thread = operations.create_thread(space, people[n % 2], f"Thema {n}", f"Text {n}")
        first = first or thread
    for n in range(posts - 1):
        operations.reply(first, people[n % 2], f"Antwort {n}")
    db.session.commit()
    return first


@pytest.mark.parametrize("page", ["index", "space", "thread", "unread"])
def test_community_pages_send_as_many_queries_for_30_rows_as_for_3(
    app, classroom, count_queries, page
):
    people = [classroom["participant"], classroom["trainer"]]
    reader = _client(app, classroom["mentor"])

    def path(first):
        return {
            "index": "/community/",
            "space": f"/community/bereich/{classroom['space'].id}",
            "thread": f"/community/thema/{first.id}",
            "unread": "/community/neu",
        }[page]

    def visit_then_count(first):
        """Open the page once (spaces, read marker exist), add a post, count the next visit."""
        reader.get(path(first))
        operations.reply(first, people[0], "neu")
        db.session.commit()
        count, response = count_queries(reader.get, path(first))
        assert response.status_code == 200
        return count

    few = visit_then_count(_fill(classroom["space"], people, 3, 3))
    many = visit_then_count(_fill(classroom["space"], people, 27, 28))
    assert many == few, (few, many)


def test_a_report_reaches_the_queue_and_the_trainer_hides_pins_and_locks(
    app, classroom, other_classroom
):
    thread = operations.create_thread(classroom["space"], classroom["trainer"], "Thema", "Start")
    post = operations.reply(thread, classroom["mentor"], "Firma Beispiel GmbH zahlt nicht")
    db.session.commit()
    participant = _client(app, classroom["participant"])
    path = f"/community/beitrag/{post.id}/melden"
    refused = _post(participant, path, {"reason": ""}).get_data(as_text=True)
    assert "Bitte nennen Sie einen Grund." in refused
    assert _post(participant, path, {"reason": "Kundendaten"}).status_code == 302
    thread_path = f"/community/thema/{thread.id}"
    for action in ("anheften", "sperren"):
        assert (
            _post(participant, f"{thread_path}/{action}", {}, page=thread_path).status_code == 403
        )

    stranger = _client(app, other_classroom["trainer"])
    assert "Keine offenen Meldungen." in stranger.get("/community/moderation").get_data(
        as_text=True
    )
    trainer = _client(app, classroom["trainer"])
    queue = trainer.get("/community/moderation").get_data(as_text=True)
    assert "Kundendaten" in queue and "Firma Beispiel GmbH" in queue
    # who wrote it, where, and who reported it
    assert f"Beitrag von {classroom['mentor'].name}," in queue
    assert f"gemeldet von {classroom['participant'].name}," in queue
    assert classroom["space"].name in queue
    hide = f"/community/beitrag/{post.id}/ausblenden"
    assert _post(trainer, hide, {"reason": "Bitte keine Firmennamen"}).status_code == 302
    assert "Keine offenen Meldungen." in trainer.get("/community/moderation").get_data(as_text=True)
    for action in ("anheften", "sperren"):
        assert _post(trainer, f"{thread_path}/{action}", {}, page=thread_path).status_code == 302
    found = db.session.get(Thread, thread.id)
    assert found.pinned and found.locked
    page = participant.get(thread_path).get_data(as_text=True)
    assert "Firma Beispiel GmbH" not in page and 'id="reply"' not in page
    late = _post(participant, thread_path, {"body": "Noch was"})
    assert "Dieses Thema ist gesperrt." in late.get_data(as_text=True)


def test_hostile_markdown_is_shown_as_text_and_links_stay_safe(app, classroom):
    client = _client(app, classroom["participant"])
    path = f"/community/bereich/{classroom['space'].id}/thema"
    body = (
        "<img src=x onerror=alert(1)> [klick](javascript:alert(1)) "
        "[ok](https://example.org) ![b](data:text/html,x)"
    )
    done = _post(client, path, {"title": "<b>Titel</b>", "body": body})
    html = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "<img src=x" not in html and 'href="javascript' not in html
    assert 'src="data:' not in html and "<b>Titel</b>" not in html
    assert 'href="https://example.org">ok</a>' in html


def test_authors_edit_their_post_and_see_the_earlier_wording(app, classroom):
    thread = operations.create_thread(classroom["space"], classroom["participant"], "T", "alt")
    db.session.commit()
    client = _client(app, classroom["participant"])
    path = f"/community/beitrag/{thread.last_post_id}/bearbeiten"
    assert _client(app, classroom["mentor"]).get(path).status_code == 403
    assert _post(client, path, {"body": "neu formuliert"}).status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "Frühere Fassungen" in page and "alt" in page
    thread_page = client.get(f"/community/thema/{thread.id}").get_data(as_text=True)
    assert "neu formuliert" in thread_page and "bearbeitet" in thread_page


@pytest.mark.config(CERT_Q2_MIN_HOURS=3.0)  # the hours the privacy tests' Lotse attended
def test_a_certified_lotse_joins_the_lotsen_community_and_others_do_not(
    app,
    lena,  # noqa: F811
    make_user,
):
    operations.ensure_defaults()
    db.session.commit()
    board = db.session.scalar(sa.select(Space).where(Space.kind == "board"))
    certified = _client(app, lena)
    assert "Fördermittel" in certified.get("/community/").get_data(as_text=True)
    assert certified.get(f"/community/bereich/{board.id}").status_code == 200
    newcomer = _client(app, make_user("participant"))
    assert "Fördermittel" not in newcomer.get("/community/").get_data(as_text=True)
    assert newcomer.get(f"/community/bereich/{board.id}").status_code == 404


def test_the_space_index_pages_pinned_first_then_newest_activity_to_the_last_page(app, classroom):
    space, trainer = classroom["space"], classroom["trainer"]
    threads = [
        operations.create_thread(space, trainer, f"Thema {n:02d}", "Text") for n in range(62)
    ]
    moderation.set_pinned(threads[3], trainer, True)
    operations.reply(threads[10], trainer, "Wieder aktuell")  # newest activity after the pin
    db.session.commit()
    expected = [threads[3], threads[10]] + [
        t for t in reversed(threads) if t not in (threads[3], threads[10])
    ]
    reader = _client(app, classroom["participant"])
    shown = []
    for page in (1, 2, 3):
        html = reader.get(f"/community/bereich/{space.id}?page={page}").get_data(as_text=True)
        assert f"Seite {page} von 3" in html
        shown += re.findall(r"Thema \d\d", html)
    assert shown == [t.title for t in expected]
    beyond = reader.get(f"/community/bereich/{space.id}?page=99").get_data(as_text=True)
    assert re.findall(r"Thema \d\d", beyond) == [t.title for t in expected[60:]]


def test_the_report_queue_costs_the_same_queries_however_many_reports_wait(
    app, classroom, make_user, count_queries
):
    from ..cohorts.conftest import join

    thread = operations.create_thread(classroom["space"], classroom["trainer"], "Runde", "Los")
    post = operations.reply(thread, classroom["mentor"], "Erster Beitrag")
    moderation.report_post(post, classroom["participant"], "Grund 0")
    db.session.commit()
    trainer = _client(app, classroom["trainer"])
    few, page = count_queries(trainer.get, "/community/moderation")
    assert "Grund 0" in page.get_data(as_text=True)
    reporters = [make_user("participant") for _ in range(6)]
    join(classroom["cohort"], reporters)
    for number, person in enumerate(reporters, 1):
        written = operations.reply(thread, classroom["mentor"], f"Beitrag {number}")
        moderation.report_post(written, person, f"Grund {number}")
    db.session.commit()
    many, page = count_queries(trainer.get, "/community/moderation")
    html = page.get_data(as_text=True)
    assert all(f"Grund {n}" in html for n in range(7)) and many == few, (few, many)
    assert all(f"gemeldet von {person.name}," in html for person in reporters)


def test_an_english_reader_is_asked_to_write_a_reply(app, classroom):
    thread = operations.create_thread(classroom["space"], classroom["trainer"], "Runde", "Los")
    classroom["participant"].locale = "en"
    db.session.commit()
    page = _client(app, classroom["participant"]).get(f"/community/thema/{thread.id}")
    html = page.get_data(as_text=True)
    assert '<h2 id="reply-title">Write a reply</h2>' in html and ">Send reply<" in html
