"""Thin handlers of the player: the page, launch and navigation requests, the TOC status.

SCORM 2004 packages with an activity tree go through the sequencer (sequencing.py): the
player sends navigation requests (start, continue, choice + item, ...) and the server
launches what the sequencer delivers. SCORM 1.2 packages keep free choice of any item.
"""

from flask import Response, abort, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...extensions import db
from . import lifecycle, links, navigation, packages, progress, sequencing, tracking
from .errors import Q1Error
from .models import PackageVersion, ScoAttempt
from .overview import certificate_standing, module_overview
from .tokens import content_token, runtime_token

#: How long the player waits for a SCO's last commit before it navigates anyway (ms).
FINISH_TIMEOUT_MS = 3000


def _package_or_404(package_id):
    """The package with this id if the user may open it (a draft: staff only), or a 404."""
    package = packages.find_package(package_id)
    if package is None or package.current_version is None:
        abort(404)
    if not lifecycle.can_open(package, current_user):
        abort(404)
    return package


def _version_or_404(version_id):
    """The package version with this id if the user may open its package, or a 404."""
    version = db.get_or_404(PackageVersion, version_id)
    if not lifecycle.can_open(version.package, current_user):
        abort(404)
    return version


def _root_state(view):
    """The course's state as an item_state() attempt for the TOC's root entry, or None."""
    root = (view or {}).get("root") or {}
    if not (root.get("completed") or root.get("satisfied") is not None):
        return None
    success = {True: "passed", False: "failed"}.get(root.get("satisfied"), "unknown")
    return {"success": success, "completion": "completed" if root["completed"] else "incomplete"}


def _review_url(version, entry):
    """Where review mode opens an item: the package file itself, in the Q1 SCOs' reference
    view; no run-time frame, so nothing is recorded and the result stays as it is."""
    if entry["external"]:
        return entry["launch"]
    url = links.package_url(version, content_token(current_user.id, version.id), entry["launch"])
    return url + ("&" if "?" in url else "?") + "ansicht=referenz"


def _item_states(reg):
    """Item id -> the attempt that counts (completion, success, score), for the TOC."""
    if reg is None:
        return {}
    attempts = db.session.scalars(
        db.select(ScoAttempt).where(ScoAttempt.registration_id == reg.id)
    ).all()
    by_item = {}
    for attempt in attempts:
        by_item.setdefault(attempt.item_id, []).append(attempt)
    return {item: progress._best(rows) for item, rows in by_item.items()}


def _free_start(version, reg, wanted):
    """Where a package without sequencing opens: the item asked for, the last one, the first."""
    if version.entry(wanted or ""):
        return wanted
    if reg and version.entry(reg.last_item or ""):
        return reg.last_item
    return version.entries()[0]["id"]


@login_required
def player(package_id):
    """The player: table of contents, previous/next, and the content frame."""
    package = _package_or_404(package_id)
    version = package.current_version
    reg = tracking.registration_for(current_user, version, create=False)
    wanted = request.args.get("item")
    review = request.args.get("ansicht") == "ansehen"
    windowed = request.args.get("fenster") == "1"  # the learner opened it in its own window
    view = opening = None
    if review:
        start = version.entry(wanted or "") and wanted or version.entries()[0]["id"]
    elif sequencing.is_sequenced(version):
        seq = sequencing.sequencer_for(current_user, version)
        view = navigation.player_view(seq, version)
        opening = navigation.opening_request(seq, wanted)
        start = view["current"]
        db.session.commit()  # an activity tree computed for an older version is kept
    else:
        start = _free_start(version, reg, wanted)
    response = Response(
        render_template(
            "q1/player.html",
            package=package,
            version=version,
            start=start,
            states=_item_states(reg),
            view=view,
            review=review,
            windowed=windowed,
            preview=lifecycle.is_preview(package),
            overview=module_overview(current_user, package),
            root_state=_root_state(view),
            config={
                "launchUrl": url_for("q1.launch", version_id=version.id),
                "statusUrl": url_for("q1.status", version_id=version.id),
                "contentOrigin": links.content_origin(version),
                "start": start,
                "items": [{"id": e["id"], "title": e["title"]} for e in version.entries()],
                "sequenced": view is not None,
                "open": opening,
                "view": view,
                "finishTimeout": FINISH_TIMEOUT_MS,
                "endUrl": url_for("q1.end_page", package_id=package.id),
                "review": review,
                "windowed": windowed,
                "windowUrl": url_for("q1.player", package_id=package.id, fenster=1),
                "reviewUrls": {e["id"]: _review_url(version, e) for e in version.entries()}
                if review
                else None,
            },
        )
    )
    response.headers["Content-Security-Policy"] = links.player_csp(version)
    return response


def _launch_url(started, version):
    """The URL the player's frame opens for a launch."""
    entry = started.entry
    if started.is_sco:
        return links.content_url(
            version, "q1_content.launch_page", token=runtime_token(started.attempt)
        )
    if entry["external"]:
        return entry["launch"]
    return links.package_url(version, content_token(current_user.id, version.id), entry["launch"])


def _launched(started, version, **extra):
    """The JSON answer for a launch."""
    entry = started.entry
    return {
        "ok": True,
        "url": _launch_url(started, version),
        "item": entry["id"],
        "title": entry["title"],
        "sco": started.is_sco,
        **extra,
    }


@login_required
def launch(version_id):
    """Begin a session of an item, or run a navigation request of a sequenced package.

    JSON {"request": "start"|"continue"|"choice"|..., "item": id}; {"item": id} alone is a
    choice. Answers with the URL the frame opens, or 422 with the German reason.
    """
    version = _version_or_404(version_id)
    if version.package.current_version_id != version.id:
        return jsonify(
            {
                "ok": False,
                "message": _(
                    "Von diesem Modul gibt es eine neue Version. Bitte laden Sie die Seite neu."
                ),
            }
        ), 409
    body = request.get_json(silent=True) or {}
    item_id = str(body.get("item") or "")
    if sequencing.is_sequenced(version):
        return _navigate(version, str(body.get("request") or "choice"), item_id or None)
    try:
        started = tracking.launch_item(current_user, version, item_id)
    except Q1Error as exc:
        db.session.rollback()
        return jsonify({"ok": False, "message": exc.message}), 404
    answer = _launched(started, version)
    db.session.commit()
    return jsonify(answer)


def _navigate(version, nav_request, item_id):
    """Run a navigation request through the sequencer and answer the player."""
    outcome = sequencing.navigate(current_user, version, nav_request, item_id)
    if not outcome.ok:
        # After the course's end "Weiter" has nowhere to go: the end page says what now.
        answer = {"ok": False, "message": outcome.message, "error": outcome.error}
        if outcome.error in navigation.NOT_BEGUN:
            answer["end"] = True
        return jsonify(answer), 422
    if outcome.launch is not None:
        answer = _launched(outcome.launch, version, ended=outcome.ended)
    else:
        answer = {"ok": True, "url": None, "ended": outcome.ended, "message": outcome.message}
        if outcome.ended or nav_request in ("exitAll", "abandonAll"):
            answer["end"] = True
    db.session.commit()
    return jsonify(answer)


@login_required
def status(version_id):
    """The learner's state of every item and of the package, for the player's TOC.

    For a sequenced package also "sequencing": the current item, each item's TOC state
    (hidden, locked) and what previous and next do now.
    """
    version = _version_or_404(version_id)
    reg = tracking.registration_for(current_user, version, create=False)
    items = {
        item: {"completion": a.completion, "success": a.success, "score": a.score_percent}
        for item, a in _item_states(reg).items()
    }
    package = {
        "completed": bool(reg and reg.completed),
        "passed": reg.passed if reg else None,
        "score": reg.score if reg else None,
    }
    view = None
    if sequencing.is_sequenced(version):
        view = navigation.player_view(sequencing.sequencer_for(current_user, version), version)
        db.session.commit()
    overview = module_overview(current_user, version.package)
    progress_info = {k: overview[k] for k in ("done", "total", "check", "minutes")}
    return jsonify(
        {
            "items": items,
            "package": package,
            "sequencing": view,
            "root": _root_state(view),
            "progress": progress_info,
        }
    )


@login_required
def end_page(package_id):
    """After a module's last activity: the result, what it counts for, the next step."""
    package = _package_or_404(package_id)
    return render_template(
        "q1/end.html",
        package=package,
        overview=module_overview(current_user, package),
        standing=certificate_standing(current_user, package),
        preview=lifecycle.is_preview(package),
    )
