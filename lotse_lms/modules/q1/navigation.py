"""What the learner sees of sequencing: German messages, TOC and button states, and the
adl.nav.request_valid values of the run-time; all read from a Sequencer (no database).
"""

import re

from flask_babel import gettext as _

#: SN exception codes (SCORM 2004 SN book) grouped by what they mean to a learner.
LOCKED = {"DB.1.1-3", "SB.2.2-2", "SB.2.4-1", "SB.2.9-6", "SB.2.9-8"}
BACKWARD = {"NB.2.1-5", "SB.2.1-4", "SB.2.4-2", "SB.2.8-2"}
AT_BEGINNING = {"NB.2.1-6", "SB.2.1-3", "SB.2.4-3"}
NOT_BEGUN = {"NB.2.1-2", "SB.2.7-1", "SB.2.8-1", "SB.2.10-1", "SB.2.11-1", "SB.2.13-1"}
NOT_BEGUN |= {"TB.2.3-1"}
NO_FLOW = {"NB.2.1-4", "SB.2.2-1", "SB.2.7-2"}
NO_CHOICE = {"NB.2.1-10", "SB.2.9-4"}
NO_CHOICE_EXIT = {"NB.2.1-8", "SB.2.9-7"}
NOT_CHOOSABLE = {"NB.2.1-11", "SB.2.9-1", "SB.2.9-2", "SB.2.9-3"}
NO_SUSPENDED = {"NB.2.1-3", "SB.2.6-2"}
#: An item identifier that fits adl.nav.request_valid.choice.{target=...}.
TARGET = re.compile(r"^[^}\s\x1c-\x1f\x85\ufeff]+$")


def refusal_message(error, request, attempts_exhausted=False):
    """The German text for a refused navigation request, in the learner's terms."""
    if attempts_exhausted:
        return _("Sie haben die erlaubten Versuche dieser Lerneinheit ausgeschöpft.")
    if error in LOCKED:
        return _(
            "Diese Lerneinheit ist noch gesperrt. Schließen Sie zuerst die vorherigen "
            "Lerneinheiten ab."
        )
    if error in BACKWARD:
        return _("Zurückblättern ist in diesem Modul nicht vorgesehen.")
    if error in AT_BEGINNING:
        return _("Sie sind bereits bei der ersten Lerneinheit.")
    if error in NOT_BEGUN:
        return _("Das Modul ist beendet.")
    if error in NO_FLOW or (request == "start" and error is not None):
        return _("Bitte wählen Sie eine Lerneinheit im Inhaltsverzeichnis.")
    if error in NO_CHOICE:
        return _(
            "In diesem Modul können Sie Lerneinheiten nicht direkt wählen; "
            "bitte nutzen Sie „Weiter“ und „Zurück“."
        )
    if error in NO_CHOICE_EXIT:
        return _("Bitte schließen Sie zuerst die aktuelle Lerneinheit ab.")
    if error in NOT_CHOOSABLE:
        return _("Diese Lerneinheit kann nicht direkt aufgerufen werden.")
    if error in NO_SUSPENDED:
        return _("Es gibt keinen gespeicherten Stand, an dem Sie fortsetzen könnten.")
    return _("Dieser Schritt ist im Moment nicht möglich.")


def info_message(request, ended):
    """The German text after an accepted request that launched nothing."""
    if request == "suspendAll":
        return _("Ihr Stand ist gespeichert. Sie können das Modul später hier fortsetzen.")
    if ended or request in ("exitAll", "abandonAll"):
        return _("Das Modul ist beendet.")
    return _("Lerneinheit beendet. Wählen Sie die nächste im Inhaltsverzeichnis.")


def _flag(value):
    """A request_valid value: "true" or "false"."""
    return "true" if value else "false"


def nav_valid(seq, available=None):
    """adl.nav.request_valid.* of the run-time (without the prefix), from available()."""
    available = available or seq.available()
    values = {"continue": _flag(available["continue"]), "previous": _flag(available["previous"])}
    for kind in ("choice", "jump"):
        for item, ok in (available.get(kind) or {}).items():
            if TARGET.match(item):
                values[f"{kind}.{{target={item}}}"] = _flag(ok)
    return values


def with_nav_valid(state, seq):
    """A copy of an attempt state whose request_valid values are the sequencer's now."""
    values = dict(state["values"])
    values.update({f"adl.nav.request_valid.{k}": v for k, v in nav_valid(seq).items()})
    return {**state, "values": values}


def _toc(version, seq_toc):
    """TOC state per entry: hidden (also below a hidden cluster), locked, disabled."""
    items, hidden_depth = {}, None
    for entry in version.toc:
        state = seq_toc.get(entry["id"]) or {}
        if hidden_depth is not None and entry["depth"] <= hidden_depth:
            hidden_depth = None
        hidden = hidden_depth is not None or bool(state.get("hidden"))
        if hidden and hidden_depth is None:
            hidden_depth = entry["depth"]
        items[entry["id"]] = {
            "hidden": hidden,
            "disabled": bool(state.get("disabled")),
            "locked": bool(entry.get("launch")) and not state.get("selectable", True),
        }
    return items


def _button(available, request, neighbour, hide):
    """One of previous/next: the request it sends, enabled and hidden.

    A flow request (continue, previous) the package does not accept falls back to a
    choice of the neighbouring item when the package lets the learner choose it, so a
    course without flow still has working arrows (the sequencer checks that choice).
    """
    hidden = request in hide
    if available.get(request):
        return {"request": request, "item": None, "enabled": True, "hidden": hidden}
    if neighbour and (available.get("choice") or {}).get(neighbour):
        return {"request": "choice", "item": neighbour, "enabled": True, "hidden": hidden}
    return {"request": request, "item": None, "enabled": False, "hidden": hidden}


#: The player's controls besides previous/next, in the order of the player bar (SN book:
#: an LMS offers the navigation requests a package's adlnav:hideLMSUI does not hide).
CONTROLS = ("exit", "suspendAll", "exitAll", "abandon", "abandonAll")


def _controls(available, hide, current):
    """exit, suspendAll, exitAll, abandon and abandonAll: enabled and hidden each."""
    return {
        name: {
            "request": name,
            "item": None,
            "enabled": bool(current and available.get(name)),
            "hidden": name in hide,
        }
        for name in CONTROLS
    }


def player_view(seq, version):
    """The player's sequencing state: current item, TOC states, previous and next, the
    other controls and the course's (root activity's) state for the TOC's root entry."""
    available = seq.available()
    toc = _toc(version, seq.toc())
    current = seq.current
    order = [e["id"] for e in version.entries() if not toc[e["id"]]["hidden"]]
    at = order.index(current) if current in order else None
    hide = seq.hidden_ui(current) if current else []
    if at is None:
        following = preceding = None
    else:
        following = order[at + 1] if at + 1 < len(order) else None
        preceding = order[at - 1] if at > 0 else None
    buttons = {
        "next": _button(available, "continue", following, hide),
        "previous": _button(available, "previous", preceding, hide),
    }
    if current is None and available.get("start"):
        buttons["next"] = {"request": "start", "item": None, "enabled": True, "hidden": False}
    return {
        "current": current,
        "suspended": seq.suspended,
        "toc": toc,
        "root": seq.root_status(),
        "controls": _controls(available, hide, current),
        **buttons,
    }


def opening_request(seq, wanted=None):
    """The request the player sends when it opens, or None to let the learner choose.

    A suspended course resumes; else the item asked for (a link, the page reloaded), else
    the item the learner left without exiting, else the SN start request. A package
    without flow (SCORM's default) refuses start: like a learner would, the player then
    chooses the first item the package lets them choose.
    """
    available = seq.available()
    choice = available.get("choice") or {}
    if seq.suspended and available.get("resumeAll"):
        return {"request": "resumeAll", "item": None}
    for item in (wanted, seq.current):
        if item and choice.get(item):
            return {"request": "choice", "item": item}
    if available.get("start"):
        return {"request": "start", "item": None}
    first = next((item for item, allowed in choice.items() if allowed), None)
    return {"request": "choice", "item": first} if first else None
