"""Kinds of space other areas add to the community (e.g. an Experimentierraum's own space).

An area registers a kind in its ``init_app`` and says who belongs to a space of that kind; the
community then shows, guards and moderates such spaces like a Klassenzimmer. Foundation staff
and admins look after every space whatever its kind (``policy.STAFF``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class SpaceKind:
    """What the community asks an area about its spaces."""

    #: Heading of such spaces on the community page.
    label: str
    #: ``(space, user_ids) -> set`` of those ids that belong to the space (one query).
    member_ids: Callable
    #: ``user -> list[Space]``: the spaces of this kind the user belongs to.
    spaces_of: Callable
    #: ``(user, space) -> bool``: the user moderates the space.
    moderates: Callable
    #: ``space -> str | None``: why the space takes no new posts now (e.g. its room is
    #: closed), or None while it is open. Readers still read it.
    read_only: Callable | None = None


def register_space_kind(app, kind, label, *, member_ids, spaces_of, moderates, read_only=None):
    """Add a kind of space (called from the area's ``init_app``)."""
    app.extensions.setdefault("community_space_kinds", {})[kind] = SpaceKind(
        label, member_ids, spaces_of, moderates, read_only
    )


def registered():
    """``{kind: SpaceKind}`` of every kind other areas added."""
    return current_app.extensions.get("community_space_kinds", {})


def kind_of(space):
    """The registered SpaceKind of ``space``, or None for the community's own kinds."""
    return registered().get(space.kind)
