"""Full-text search: German word forms and umlauts, access, hidden and erased posts, hostile
input, marked snippets; on SQLite (FTS5) and PostgreSQL (tsvector + GIN) alike."""

import pytest
import sqlalchemy as sa

from lotse_lms.community import moderation, operations, search
from lotse_lms.community.models import BOARD, Post, Space
from lotse_lms.core.paging import Listing
from lotse_lms.extensions import db
from lotse_lms.privacy.operations import erase_person

from ..conftest import login


def _find(user, text, page=1):
    """The bodies of the posts ``user`` finds for ``text`` (one page)."""
    listing = Listing(endpoint="community.search", page=page, size=search.RESULTS_PER_PAGE)
    bodies = [post.body for post, *_ in search.search(user, text, listing) or []]
    db.session.commit()  # the spaces created on the first look (like the page does)
    return bodies


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_word_forms_find_each_other(classroom):
    space, author = classroom["space"], classroom["trainer"]
    operations.create_thread(space, author, "Werkstatt", "Die Moderation der Runde war gut.")
    operations.create_thread(space, author, "Rollen", "Wer moderiert am Montag?")
    operations.create_thread(space, author, "Anderes", "Ein moderner Raum.")
    db.session.commit()
    reader = classroom["participant"]
    for query in ("moderieren", "Moderation", "moderiert", "Moderatorin", "MODERATIONEN"):
        assert sorted(_find(reader, query)) == [
            "Die Moderation der Runde war gut.",
            "Wer moderiert am Montag?",
        ], query


@pytest.mark.parametrize("query", ["Prüfung", "Pruefung", "prufung", "PRÜFUNGEN", "prüfungen"])
def test_umlaut_spellings_are_one_word(classroom, query):
    space, author = classroom["space"], classroom["trainer"]
    operations.create_thread(space, author, "Termine", "Die Prüfung ist am Montag.")
    operations.create_thread(space, author, "Ohne Umlaut", "Pruefungen gibt es zwei.")
    operations.create_thread(space, author, "Anderes", "Eine Prägung, ein Feuer, eine Quelle.")
    db.session.commit()
    assert sorted(_find(classroom["participant"], query)) == [
        "Die Prüfung ist am Montag.",
        "Pruefungen gibt es zwei.",
    ]


def test_terms_fold_umlauts_but_keep_diphthongs():
    assert search.term("Prüfung") == search.term("Pruefung") == search.term("prufung")
    assert search.term("Größe") == search.term("Groesse")
    assert search.term("Feuer") != search.term("Fur")
    assert search.term("Quelle") != search.term("Qulle")
    assert search.term("organisieren") == search.term("Organisation")


def test_thread_titles_phrases_exclusions_and_alternatives(classroom):
    space, author = classroom["space"], classroom["trainer"]
    operations.create_thread(space, author, "Fördermittel beantragen", "Wer weiß Rat?")
    operations.create_thread(space, author, "Technik", "Der Beamer im Raum ist kaputt.")
    operations.create_thread(space, author, "Raumfrage", "Kaputt ist der Raum nicht.")
    db.session.commit()
    reader = classroom["participant"]
    assert _find(reader, "Fördermittel") == ["Wer weiß Rat?"]
    assert _find(reader, '"Raum ist kaputt"') == ["Der Beamer im Raum ist kaputt."]
    assert _find(reader, "kaputt -Beamer") == ["Kaputt ist der Raum nicht."]
    for query in ("Beamer or Fördermittel", "Beamer oder Fördermittel"):
        assert sorted(_find(reader, query)) == ["Der Beamer im Raum ist kaputt.", "Wer weiß Rat?"]


def test_an_edited_post_is_found_by_its_new_words_only(classroom):
    thread = operations.create_thread(
        classroom["space"], classroom["participant"], "Frage", "Wann ist das Treffen?"
    )
    post = db.session.get(search.Post, thread.last_post_id)
    operations.edit_post(post, classroom["participant"], "Wann ist die Werkstatt?")
    db.session.commit()
    assert _find(classroom["mentor"], "Treffen") == []
    assert _find(classroom["mentor"], "Werkstatt") == ["Wann ist die Werkstatt?"]


def test_a_klassenzimmer_post_is_never_found_by_outsiders(
    app, classroom, other_classroom, make_user
):
    operations.create_thread(
        classroom["space"], classroom["participant"], "Unter uns", "Geheime Moderation"
    )
    operations.ensure_defaults()
    board = db.session.scalar(sa.select(Space).where(Space.kind == BOARD))
    operations.create_thread(board, classroom["trainer"], "Board", "Moderation im Board")
    db.session.commit()
    assert _find(other_classroom["participant"], "Moderation") == []
    assert _find(other_classroom["trainer"], "Moderation") == ["Moderation im Board"]
    assert sorted(_find(classroom["participant"], "Moderation")) == ["Geheime Moderation"]
    assert sorted(_find(make_user("foundation"), "Moderation")) == [
        "Geheime Moderation",
        "Moderation im Board",
    ]
    page = _client(app, other_classroom["trainer"]).get("/community/suche?q=Moderation")
    assert "Geheime" not in page.get_data(as_text=True)


def test_hidden_posts_only_for_moderators_marked_and_erased_posts_never(app, classroom, make_user):
    thread = operations.create_thread(
        classroom["space"], classroom["participant"], "Frage", "Moderation ist schwer"
    )
    post = db.session.get(search.Post, thread.last_post_id)
    operations.reply(thread, classroom["mentor"], "Moderation lernt man")
    moderation.hide_post(post, classroom["trainer"], "Off-Topic")
    db.session.commit()
    assert _find(classroom["mentor"], "Moderation") == ["Moderation lernt man"]
    assert _find(classroom["participant"], "Moderation") == ["Moderation lernt man"]
    assert sorted(_find(classroom["trainer"], "Moderation")) == [
        "Moderation ist schwer",
        "Moderation lernt man",
    ]
    page = _client(app, classroom["trainer"]).get("/community/suche?q=Moderation")
    assert page.get_data(as_text=True).count("ausgeblendet") == 1

    erase_person(classroom["mentor"], actor=make_user("foundation"))
    db.session.commit()
    assert _find(classroom["trainer"], "lernt") == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(search.terms_table)) == 1


HOSTILE = [
    '"',
    '"""Moderation',
    "Moderation\"'; DROP TABLE community_posts; --",
    "a & b | !c <-> d:* (e",
    "NOT OR AND NEAR( * ^ - +",
    "moderation:* 'x' \\ %_",
    "-",
    "or or or",
    "<script>alert(1)</script>",
    "x" * 1000,
    " ".join(["Moderation"] * 300),
    "Moder\x00ation",
    "🙂 ∑ ℌ",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_search_text_gives_a_page_not_an_error(app, classroom, query):
    operations.create_thread(
        classroom["space"], classroom["participant"], "Frage", "Moderation ist schwer"
    )
    db.session.commit()
    client = _client(app, classroom["trainer"])
    response = client.get("/community/suche", query_string={"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.get_data(as_text=True)


def test_hits_show_the_matching_part_escaped_with_the_match_marked(app, classroom):
    body = "Vorweg " + "viel Text " * 40 + "und dann: <b>Moderation</b> & Co. " + "Schluss " * 40
    operations.create_thread(classroom["space"], classroom["trainer"], "Moderieren lernen", body)
    db.session.commit()
    page = _client(app, classroom["participant"]).get("/community/suche?q=moderieren")
    html = page.get_data(as_text=True)
    assert "&lt;b&gt;<mark>Moderation</mark>&lt;/b&gt; &amp; Co." in html
    assert "<mark>Moderieren</mark> lernen" in html
    assert "Vorweg" not in html  # the snippet is the part around the match


def test_results_are_paged(app, classroom):
    for n in range(search.RESULTS_PER_PAGE + 3):
        operations.create_thread(
            classroom["space"], classroom["trainer"], f"Thema {n}", f"Moderation Nummer {n}"
        )
    db.session.commit()
    reader = classroom["participant"]
    first, second = _find(reader, "Moderation"), _find(reader, "Moderation", page=2)
    assert len(first) == search.RESULTS_PER_PAGE and len(second) == 3
    assert not set(first) & set(second)
    assert _find(reader, "Moderation", page=99) == second  # past the end: the last page
    html = _client(app, reader).get("/community/suche?q=Moderation&page=2").get_data(as_text=True)
    assert "Seite 2 von 2" in html


def test_a_word_in_very_many_posts_ranks_the_newest(classroom, monkeypatch):
    monkeypatch.setattr(search, "MAX_RANKED", 5)
    for n in range(8):
        operations.create_thread(
            classroom["space"], classroom["trainer"], f"T{n}", f"Moderation {n}"
        )
    db.session.commit()
    listing = Listing(endpoint="community.search", size=search.RESULTS_PER_PAGE)
    hits = search.search(classroom["participant"], "Moderation", listing)
    assert listing.total == 5
    assert sorted(post.body for post, *_ in hits) == [f"Moderation {n}" for n in range(3, 8)]


def test_reindex_rebuilds_the_terms(classroom):
    operations.create_thread(classroom["space"], classroom["trainer"], "Titel", "Moderation")
    db.session.commit()
    db.session.execute(search.terms_table.delete())
    assert _find(classroom["participant"], "Moderation") == []
    assert search.reindex() == 1
    db.session.commit()
    assert _find(classroom["participant"], "Titel") == ["Moderation"]


@pytest.mark.config(COMMUNITY_PREMODERATE_POSTS=2)
def test_a_post_waiting_for_approval_is_found_only_once_approved(classroom):
    space, newcomer = classroom["space"], classroom["participant"]
    thread = operations.create_thread(space, newcomer, "Anfang", "Wie beantrage ich Fördermittel?")
    db.session.commit()
    mentor = classroom["mentor"]
    assert _find(mentor, "Fördermittel") == []  # waits for a moderator: nobody else finds it
    post = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id))
    moderation.approve_post(post, classroom["trainer"])
    db.session.commit()
    assert _find(mentor, "Fördermittel") == ["Wie beantrage ich Fördermittel?"]


def test_deleted_threads_leave_no_terms_behind(classroom):
    space, author = classroom["space"], classroom["trainer"]
    gone = operations.create_thread(space, author, "Alt", "Ein Wort zur Datensicherheit.")
    operations.create_thread(space, author, "Neu", "Noch ein Wort zur Datensicherheit.")
    db.session.commit()
    posts = sa.select(search.terms_table.c.post_id)
    before = len(db.session.execute(posts).all())
    operations.delete_threads(sa.select(sa.literal(gone.id)))
    db.session.commit()
    assert len(db.session.execute(posts).all()) == before - 1
    assert _find(classroom["participant"], "Datensicherheit") == [
        "Noch ein Wort zur Datensicherheit."
    ]
