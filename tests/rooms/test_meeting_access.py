"""Who reaches a room's meetings, files and forum; files checked like proofs; privacy."""

import io
import os

import pytest

from lotse_lms.community import operations as community
from lotse_lms.community import policy as community_policy
from lotse_lms.community.notify_models import Notification
from lotse_lms.core import jobs
from lotse_lms.core.privacy import providers
from lotse_lms.extensions import db
from lotse_lms.rooms import files, meetings, operations
from lotse_lms.rooms.meeting_models import RoomFile
from lotse_lms.rooms.space import space_of
from tests.conftest import login

from .conftest import room_data
from .meeting_helpers import add_firm, berlin_day, meeting_fields

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setting(room, lotse, make_user):
    """The room with a firm, a past meeting with protocol, a file; a second room with its firm."""
    firm = add_firm(room, make_user, "Frieda Becker", "Tischlerei Becker")
    other_room = operations.create_room(room_data(title="Anderer Raum"), lotse, lotse)
    db.session.commit()
    stranger = add_firm(other_room, make_user, "Otto Anders", "Anders GmbH")
    meeting = meetings.schedule_meeting(
        room, lotse, **meeting_fields(starts_at=berlin_day(-1, 9), ends_at=berlin_day(-1, 11))
    )
    meetings.save_protocol(meeting, lotse, "Protokoll")
    upload = files.upload_file(room, firm, "plan.pdf", PDF)
    db.session.commit()
    base = f"/raeume/{room.id}"
    return {
        "room": room,
        "firm": firm,
        "stranger": stranger,
        "meeting": meeting,
        "file": upload,
        "base": base,
        "meeting_url": f"{base}/treffen/{meeting.id}",
    }


def _member_pages(s):
    """GET pages of the room that only its members reach."""
    m = s["meeting_url"]
    return [
        s["base"] + "/treffen",
        m,
        m + "/termin.ics",
        s["base"] + "/dateien",
        f"{s['base']}/dateien/{s['file'].id}",
        s["base"] + "/forum",
    ]


def test_the_public_is_sent_to_sign_in(client, setting):
    for url in _member_pages(setting) + [setting["base"] + "/treffen/neu"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


def test_a_firm_contact_of_another_room_sees_nothing_of_this_one(client, post_form, setting):
    login(client, setting["stranger"].email)
    for url in _member_pages(setting) + [setting["base"] + "/treffen/neu"]:
        assert client.get(url).status_code == 404, url
    meeting = setting["meeting"]
    approve = post_form(setting["meeting_url"] + "/freigeben", page="/")  # the token of "/"
    assert approve.status_code == 404
    assert meetings.current_approvals(meeting) == []


def test_members_read_but_only_the_lead_plans(client, setting):
    login(client, setting["firm"].email)
    for url in _member_pages(setting):
        assert client.get(url).status_code in (200, 302), url
    download = client.get(f"{setting['base']}/dateien/{setting['file'].id}")
    assert download.data == PDF and download.mimetype == "application/pdf"
    assert client.get(setting["base"] + "/treffen/neu").status_code == 403
    assert client.get(setting["meeting_url"] + "/protokoll").status_code == 403
    assert client.get(setting["meeting_url"] + "/bearbeiten").status_code == 403


@pytest.mark.config(PROOF_MAX_BYTES=2048)
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("liste.docx", PDF, "Bitte laden Sie die Datei als PDF, PNG oder JPEG hoch."),
        ("falsch.pdf", b"GIF89a....", "Der Inhalt der Datei passt nicht zu ihrer Endung (.pdf)."),
        ("gross.pdf", PDF + b"0" * 2500, "Die Datei ist zu groß (höchstens 2 KB)."),
        ("leer.pdf", b"", "Die hochgeladene Datei ist leer."),
    ],
)
def test_wrong_or_too_big_files_are_refused_and_nothing_is_kept(
    app, client, post_form, setting, name, data, message
):
    login(client, setting["firm"].email)
    before = set(os.listdir(os.path.join(app.config["DATA_DIR"], files.FOLDER)))
    url = setting["base"] + "/dateien"
    response = post_form(
        url, {"upload": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and message in response.text
    assert db.session.scalar(db.select(db.func.count(RoomFile.id))) == 1
    assert set(os.listdir(os.path.join(app.config["DATA_DIR"], files.FOLDER))) == before


def test_a_member_uploads_and_the_uploader_deletes(app, client, post_form, setting):
    login(client, setting["firm"].email)
    url = setting["base"] + "/dateien"
    done = post_form(
        url, {"upload": (io.BytesIO(PDF), "ergebnis.pdf")}, content_type="multipart/form-data"
    )
    assert done.status_code == 302
    listing = client.get(url).text
    assert "ergebnis.pdf" in listing and "plan.pdf" in listing
    row = setting["file"]
    row_id, stored = row.id, files.file_path(row)
    assert stored.exists() and oct(stored.stat().st_mode & 0o777) == "0o600"
    assert post_form(f"{url}/{row_id}/loeschen", page=url).status_code == 302
    db.session.expire_all()
    assert not stored.exists() and db.session.get(RoomFile, row_id) is None


def test_the_rooms_forum_is_a_community_space_of_its_members(app, client, setting, lotse):
    space = space_of(setting["room"])
    db.session.commit()
    firm, stranger = setting["firm"], setting["stranger"]
    assert community_policy.may_read(firm, space) and community_policy.may_post(firm, space)
    assert not community_policy.may_read(stranger, space)
    assert community_policy.may_moderate(lotse, space)
    assert not community_policy.may_moderate(firm, space)
    login(client, firm.email)
    assert setting["room"].title in client.get("/community/").text
    assert client.get(f"/community/bereich/{space.id}").status_code == 200
    other = app.test_client()
    login(other, stranger.email)
    assert setting["room"].title not in other.get("/community/").text
    assert other.get(f"/community/bereich/{space.id}").status_code == 404


def test_privacy_exports_and_erases_comments_approvals_and_files(app, setting):
    firm, meeting = setting["firm"], setting["meeting"]
    meetings.comment_protocol(meeting, firm, "Mein Kommentar")
    meetings.approve_protocol(meeting, firm)
    db.session.commit()
    [provider] = [p for p in providers(app) if p.name == "room_meetings"]
    part = provider.export(firm)
    assert part.data["protocol_comments"][0]["body"] == "Mein Kommentar"
    assert part.data["protocol_approvals"][0]["version"] == 1
    assert [name for name, _path in part.files] == [f"raum_{meeting.room_id}_1_plan.pdf"]
    stored = files.file_path(setting["file"])
    gone = provider.erase(firm)
    db.session.commit()
    assert gone == [stored]
    assert meetings.current_approvals(meeting) == []
    [comment] = meetings.comments_of(meeting)
    assert comment.author_id is None and comment.body == "[gelöscht]"
    assert db.session.scalar(db.select(db.func.count(RoomFile.id))) == 0


def test_a_post_in_the_rooms_forum_notifies_members_and_not_a_mentioned_outsider(
    app, setting, lotse
):
    space = space_of(setting["room"])
    firm, stranger = setting["firm"], setting["stranger"]
    thread = community.create_thread(space, firm, "Erfahrungen mit Tablets", "Wer nutzt welche?")
    db.session.commit()
    community.reply(thread, lotse, "Gute Frage, @Otto Anders und @Frieda Becker?")
    db.session.commit()
    jobs.run_pending(app)  # the fan-out of the posts
    notified = set(db.session.scalars(db.select(Notification.user_id)))
    assert notified == {firm.id}  # the outsider is named but may not read the room's forum
    with pytest.raises(community.CommunityError):
        community.create_thread(space, stranger, "Hallo", "Darf ich?")
