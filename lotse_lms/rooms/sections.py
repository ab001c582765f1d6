"""The sections of a room's page: each part of the area registers one, the page shows them.

    register_section(app, "meetings", _l("Treffen"), "rooms/meeting_section.html",
                     loader=meetings.section_context, order=20)

``loader(room, user)`` returns the template's context (a dict) or None to leave the section
out for this person; the template is included with ``room``, ``room_role`` (see
``policy.room_role``), ``may_manage`` and the loader's dict. ``need="manage"`` shows the
section only to those who manage the room. Loaders should cost a fixed number of queries.
"""

from dataclasses import dataclass

from flask import current_app

from . import policy


@dataclass(frozen=True)
class Section:
    key: str
    label: object
    template: str
    loader: object = None
    order: int = 100
    need: str = "view"


def _registry(app):
    return app.extensions.setdefault("rooms_sections", {})


def register_section(app, key, label, template, loader=None, order=100, need="view"):
    """Add a section to every room's page (``need``: "view" or "manage")."""
    if need not in ("view", "manage"):
        raise ValueError(f"need must be 'view' or 'manage', not {need!r}")
    _registry(app)[key] = Section(key, label, template, loader, order, need)


def sections(app=None):
    """All registered sections, in order."""
    return sorted(_registry(app or current_app).values(), key=lambda s: (s.order, s.key))


def visible_sections(room, user, app=None):
    """(section, context) for each section ``user`` sees on ``room``'s page."""
    manage = policy.can_manage(user, room)
    shown = []
    for section in sections(app):
        if section.need == "manage" and not manage:
            continue
        context = section.loader(room, user) if section.loader else {}
        if context is None:
            continue
        shown.append((section, context))
    return shown
