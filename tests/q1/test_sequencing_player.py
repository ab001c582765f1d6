"""SCORM 2004 sequencing through the player's endpoints: page, launch requests, status,
launch page and commit answers; SCORM 1.2 keeps free navigation."""

import json
import re
import zipfile

import pytest
from q1_helpers import origin, payload

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import packages
from lotse_lms.modules.q1.models import ScoAttempt, ScormRegistration
from lotse_lms.modules.q1.tokens import read_runtime_token

FORCED = "SequencingForcedSequential_SCORM20043rdEdition"
PASSWORD = "richtig-geheim-123"
LOCKED = (
    "Diese Lerneinheit ist noch gesperrt. Schließen Sie zuerst die vorherigen Lerneinheiten ab."
)


def config_of(html, name="player-config"):
    """The JSON a page embeds in <script id=name>."""
    match = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


class Player:
    """A signed-in learner's player of one package: page, launch requests and status."""

    def __init__(self, client, version):
        """Open the player page once (for the CSRF token)."""
        self.client, self.version = client, version
        self.html = client.get(f"/q1/play/{version.package_id}").get_data(as_text=True)
        self.token = self.html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

    def page(self, **query):
        """The player page's config (opened again)."""
        html = self.client.get(f"/q1/play/{self.version.package_id}", query_string=query)
        self.html = html.get_data(as_text=True)
        return config_of(self.html)

    def send(self, **body):
        """POST a launch / navigation request."""
        return self.client.post(
            f"/q1/play/version/{self.version.id}/launch",
            json=body,
            headers={"X-CSRFToken": self.token},
        )

    def status(self):
        """The status endpoint's JSON."""
        return self.client.get(f"/q1/play/version/{self.version.id}/status").json


@pytest.fixture
def forced(import_fixture):
    """The forced-sequential sample."""
    return import_fixture(FORCED)


@pytest.fixture
def player(client, login_as, forced):
    """A participant's player of the forced-sequential sample."""
    user = login_as("participant")
    player = Player(client, forced)
    player.user = user
    return player


def commit(content, url, calls, terminated=True):
    """Commit run-time data through the content origin for the attempt a launch URL names."""
    token = url.rsplit("/", 1)[1]
    attempt = db.session.get(ScoAttempt, read_runtime_token(token)[0])
    db.session.refresh(attempt)
    body = payload(attempt, calls, terminated=terminated)
    return content.post(f"/scorm-content/commit/{token}", json=body)


def test_player_page_greys_out_locked_items(player):
    config = config_of(player.html)
    assert config["sequenced"] is True and config["open"] == {"request": "start", "item": None}
    toc = config["view"]["toc"]
    assert toc["playing_item"]["locked"] is False
    assert toc["assessment_item"] == {"hidden": False, "disabled": True, "locked": True}
    quiz = re.search(r'<a [^>]*data-item="assessment_item"[^>]*>', player.html).group(0)
    assert 'aria-disabled="true"' in quiz and 'class="is-locked"' in quiz
    assert f'title="{LOCKED}"' in quiz
    playing = re.search(r'<a [^>]*data-item="playing_item"[^>]*>', player.html).group(0)
    assert "aria-disabled" not in playing
    assert config["view"]["next"] == {
        "request": "start",
        "item": None,
        "enabled": True,
        "hidden": False,
    }
    assert db.session.scalar(db.select(ScormRegistration)) is None  # looking writes nothing


def test_launch_refuses_the_quiz_first_with_422(player):
    response = player.send(request="choice", item="assessment_item")
    assert response.status_code == 422
    assert response.json == {"ok": False, "message": LOCKED, "error": "DB.1.1-3"}
    legacy = player.send(item="assessment_item")  # {"item"} alone is a choice
    assert legacy.status_code == 422 and legacy.json["message"] == LOCKED
    assert db.session.scalars(db.select(ScoAttempt)).all() == []


def test_start_commit_continue_through_the_endpoints(player, content):
    started = player.send(request="start")
    assert started.status_code == 200 and started.json["item"] == "playing_item"
    assert started.json["sco"] is True and started.json["url"].startswith(origin(player.version))
    view = player.status()["sequencing"]
    assert view["current"] == "playing_item" and view["toc"]["etuqiette_item"]["locked"]
    assert view["next"]["enabled"] is False and view["previous"]["enabled"] is False
    launch_page = content.get(started.json["url"].split(".test", 1)[1]).get_data(as_text=True)
    values = config_of(launch_page, "lotse-launch")["state"]["values"]
    assert values["adl.nav.request_valid.choice.{target=etuqiette_item}"] == "false"
    answer = commit(
        content,
        started.json["url"],
        [("cmi.completion_status", "completed"), ("cmi.success_status", "passed")],
        terminated=False,
    )
    assert answer.json["nav_valid"]["choice.{target=etuqiette_item}"] == "true"
    view = player.status()["sequencing"]
    assert view["toc"]["etuqiette_item"]["locked"] is False
    assert view["next"] == {"request": "continue", "item": None, "enabled": True, "hidden": False}
    nxt = player.send(request="continue")
    assert nxt.status_code == 200 and nxt.json["item"] == "etuqiette_item"
    back = player.send(request="previous")
    assert back.json["item"] == "playing_item"


def test_reopening_continues_where_the_learner_left(player, content):
    player.send(request="start")
    assert player.page()["open"] == {"request": "choice", "item": "playing_item"}
    assert player.page(item="assessment_item")["open"]["item"] == "playing_item"
    suspended = player.send(request="suspendAll")
    assert suspended.json["url"] is None and "gespeichert" in suspended.json["message"]
    assert player.page()["open"] == {"request": "resumeAll", "item": None}
    assert player.send(request="resumeAll").json["item"] == "playing_item"


def test_exit_all_ends_the_course(player):
    player.send(request="start")
    ended = player.send(request="exitAll")
    assert ended.status_code == 200 and ended.json["ended"] is True
    assert ended.json["url"] is None and ended.json["message"] == "Das Modul ist beendet."
    refused = player.send(request="continue")
    assert refused.status_code == 422 and refused.json["message"] == "Das Modul ist beendet."
    assert player.page()["open"] == {"request": "start", "item": None}


def test_unknown_request_and_missing_target_refused(player):
    for body in ({"request": "fly"}, {"request": "choice"}, {"request": "jump", "item": ""}):
        response = player.send(**body)
        assert response.status_code == 422 and response.json["ok"] is False, body
    assert db.session.scalar(db.select(ScormRegistration)) is None


def test_navigation_needs_sign_in_and_csrf(client, login_as, forced):
    url = f"/q1/play/version/{forced.id}/launch"
    assert client.post(url, json={"request": "start"}).status_code == 400  # no CSRF token
    assert client.get(f"/q1/play/version/{forced.id}/status").status_code == 302
    login_as("participant")
    assert client.post(url, json={"request": "start"}).status_code == 400
    assert db.session.scalar(db.select(ScormRegistration)) is None


def test_package_without_flow_opens_the_first_item_and_lets_the_learner_choose(
    client, login_as, import_fixture
):
    login_as("participant")
    version = import_fixture("ContentPackagingOneFilePerSCO_SCORM20043rdEdition")
    first, second = [e["id"] for e in version.entries()][:2]
    player = Player(client, version)
    config = config_of(player.html)
    # flow off: the SN start request is refused, so the player chooses the first item
    assert config["sequenced"] is True
    assert config["open"] == {"request": "choice", "item": first}
    assert config["view"]["next"]["enabled"] is False
    refused = player.send(request="start")
    assert refused.status_code == 422
    assert refused.json["message"] == "Bitte wählen Sie eine Lerneinheit im Inhaltsverzeichnis."
    assert player.send(item=first).json["item"] == first
    view = player.status()["sequencing"]
    assert view["next"] == {"request": "choice", "item": second, "enabled": True, "hidden": False}
    assert view["previous"]["enabled"] is False
    assert player.send(request="continue").status_code == 422
    assert player.send(request="choice", item=second).json["item"] == second
    assert player.status()["sequencing"]["previous"]["item"] == first


def test_scorm12_player_keeps_free_choice(client, login_as, import_fixture):
    login_as("participant")
    version = import_fixture("RuntimeBasicCalls_SCORM12")
    player = Player(client, version)
    config = config_of(player.html)
    assert config["sequenced"] is False and config["view"] is None and config["open"] is None
    assert config["start"] == version.entries()[0]["id"]
    launched = player.send(item=version.entries()[0]["id"])
    assert launched.status_code == 200 and launched.json["url"]
    assert player.status()["sequencing"] is None
    assert db.session.scalar(db.select(ScormRegistration)).sequencing is None
    assert "aria-disabled" not in player.html


def sign_in(client, user):
    """Sign a second client in through the login form."""
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = {"email": user.email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302


def test_another_learners_state_is_untouched(app, player, make_user, forced):
    player.send(request="start")
    mine = db.session.scalar(
        db.select(ScormRegistration).where(ScormRegistration.user_id == player.user.id)
    )
    before = mine.sequencing
    other_client = app.test_client()
    sign_in(other_client, make_user("participant"))
    theirs = Player(other_client, forced)
    assert theirs.send(request="continue").status_code == 422  # not begun for them
    assert theirs.send(request="suspendAll").status_code == 422
    assert theirs.send(request="start").json["item"] == "playing_item"
    db.session.expire_all()
    assert db.session.get(ScormRegistration, mine.id).sequencing == before
    assert db.session.scalar(db.select(db.func.count(ScormRegistration.id))) == 2


UI_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="ui" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>UI</title>
    <item identifier="a" identifierref="r"><title>A</title>
      <adlnav:presentation><adlnav:navigationInterface>
        <adlnav:hideLMSUI>continue</adlnav:hideLMSUI>
      </adlnav:navigationInterface></adlnav:presentation></item>
    <item identifier="secret" identifierref="r"><title>Geheim</title>
      <imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule>
        <imsss:ruleConditions><imsss:ruleCondition condition="always"/></imsss:ruleConditions>
        <imsss:ruleAction action="hiddenFromChoice"/></imsss:preConditionRule>
      </imsss:sequencingRules></imsss:sequencing></item>
    <item identifier="c" identifierref="r"><title>C</title></item>
    <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
  </organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="sco.html">
    <file href="sco.html"/></resource></resources>
</manifest>"""


def test_hidden_items_and_hidden_buttons(client, login_as, tmp_path):
    login_as("participant")
    path = tmp_path / "ui.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("imsmanifest.xml", UI_MANIFEST)
        zf.writestr("sco.html", "<!doctype html><title>SCO</title>")
    version = packages.import_package(path)
    player = Player(client, version)
    assert re.search(r'<li [^>]*data-entry="secret" hidden>', player.html)
    assert not re.search(r'<li [^>]*data-entry="c" hidden>', player.html)
    assert player.send(request="choice", item="secret").json["message"] == (
        "Diese Lerneinheit kann nicht direkt aufgerufen werden."
    )
    assert player.send(request="start").json["item"] == "a"
    view = player.status()["sequencing"]
    assert view["toc"]["secret"]["hidden"] is True and view["toc"]["c"]["hidden"] is False
    assert view["next"]["hidden"] is True and view["previous"]["hidden"] is False
    assert player.send(request="choice", item="c").json["item"] == "c"
    view = player.status()["sequencing"]
    assert view["next"]["hidden"] is False
    assert view["previous"] == {
        "request": "previous",
        "item": None,
        "enabled": True,
        "hidden": False,
    }
