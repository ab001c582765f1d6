"""Attachments of posts: checked like proofs, shown under the post, served to members only,
in the data export and gone with an erasure."""

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from lotse_lms.community import operations
from lotse_lms.community.models import Attachment, Post
from lotse_lms.community.privacy import erase_community, export_community
from lotse_lms.extensions import db

from ..conftest import csrf_token, login

PDF = b"%PDF-1.4 Einladung an die Betriebe"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def _stored(app):
    """The files below DATA_DIR/community/."""
    folder = Path(app.config["DATA_DIR"]) / "community"
    return sorted(folder.iterdir()) if folder.exists() else []


def _reply(client, thread, body, *files):
    path = f"/community/thema/{thread.id}"
    data = {
        "body": body,
        "action": "send",
        "csrf_token": csrf_token(client, path),
        "attachments": [(io.BytesIO(content), name) for name, content in files],
    }
    return client.post(path, data=data, content_type="multipart/form-data")


def test_a_reply_with_files_shows_them_and_only_members_download_them(
    app, classroom, other_classroom
):
    thread = operations.create_thread(classroom["space"], classroom["trainer"], "Vorlagen", "?")
    db.session.commit()
    participant = _client(app, classroom["participant"])
    answer = _reply(
        participant, thread, "Hier meine Vorlage", ("Einladung.pdf", PDF), ("Plan.PNG", PNG)
    )
    assert answer.status_code == 302
    files = db.session.scalars(sa.select(Attachment).order_by(Attachment.id)).all()
    assert [(f.filename, f.mime, f.size) for f in files] == [
        ("Einladung.pdf", "application/pdf", len(PDF)),
        ("Plan.PNG", "image/png", len(PNG)),
    ]
    page = participant.get(f"/community/thema/{thread.id}").get_data(as_text=True)
    assert f'href="/community/anhang/{files[0].id}"' in page and "Einladung.pdf" in page
    mentor = _client(app, classroom["mentor"])
    download = mentor.get(f"/community/anhang/{files[0].id}")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert "Einladung.pdf" in download.headers["Content-Disposition"]
    stranger = _client(app, other_classroom["participant"])
    assert stranger.get(f"/community/anhang/{files[0].id}").status_code == 404
    anonymous = app.test_client().get(f"/community/anhang/{files[0].id}")
    assert anonymous.status_code == 302 and "/login" in anonymous.location


@pytest.mark.config(PROOF_MAX_BYTES=100)
def test_bad_files_are_refused_all_at_once_and_nothing_is_kept(app, classroom):
    thread = operations.create_thread(classroom["space"], classroom["trainer"], "Vorlagen", "?")
    db.session.commit()
    client = _client(app, classroom["participant"])
    answer = _reply(
        client,
        thread,
        " ",
        ("virus.exe", b"MZ..."),
        ("falsch.pdf", b"GIF89a"),
        ("gross.png", PNG + b"x" * 200),
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Bitte schreiben Sie einen Text." in html
    assert "„virus.exe“: Anhänge sind als PDF, PNG oder JPEG möglich." in html
    assert "Der Inhalt der Datei passt nicht zu ihrer Endung (.pdf)." in html
    assert "Die Datei ist zu groß (höchstens 1 KB)." in html
    too_many = _reply(client, thread, "Vier", *[(f"{n}.pdf", PDF) for n in range(4)])
    assert "Bitte hängen Sie höchstens 3 Dateien an." in too_many.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Post.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0
    assert _stored(app) == []


def test_a_hidden_posts_files_are_for_its_author_and_moderators_only(app, classroom):
    from lotse_lms.community import moderation

    thread = operations.create_thread(
        classroom["space"], classroom["participant"], "Werbung", "Kauft!", [("a.pdf", PDF)]
    )
    post = db.session.get(Post, thread.last_post_id)
    moderation.hide_post(post, classroom["trainer"], "Werbung")
    db.session.commit()
    file_id = post.attachments[0].id
    assert _client(app, classroom["mentor"]).get(f"/community/anhang/{file_id}").status_code == 404
    assert (
        _client(app, classroom["participant"]).get(f"/community/anhang/{file_id}").status_code
        == 200
    )
    assert _client(app, classroom["trainer"]).get(f"/community/anhang/{file_id}").status_code == 200


def test_export_contains_the_files_and_erasure_removes_them(app, classroom):
    participant = classroom["participant"]
    thread = operations.create_thread(
        classroom["space"], participant, "Vorlagen", "Meine", [("Einladung.pdf", PDF)]
    )
    operations.reply(thread, classroom["trainer"], "Danke", [("Antwort.png", PNG)])
    db.session.commit()
    part = export_community(participant)
    assert part.data["posts"][0]["attachments"] == [f"{thread.id and 1}_Einladung.pdf"]
    assert [(name, path.read_bytes()) for name, path in part.files] == [("1_Einladung.pdf", PDF)]
    assert len(_stored(app)) == 2
    removed = erase_community(participant)
    db.session.commit()
    for path in removed:
        path.unlink()
    assert [p.read_bytes() for p in _stored(app)] == [PNG]  # the trainer's file stays
    assert db.session.scalars(sa.select(Attachment.filename)).all() == ["Antwort.png"]
