"""The dashboard: each area adds panels for the roles it serves, and qualification steps.

Areas register in their ``init_app``; the dashboard view only asks this registry.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    """A dashboard box: shown to holders of ``roles``, rendered from ``template``."""

    name: str
    roles: tuple
    template: str
    context: object = None  # callable(user) -> dict
    order: int = 100


@dataclass
class Step:
    """One step of a participant's qualification and its state."""

    title: str
    state: str  # "done", "pending", "open", "rejected"
    detail: str = ""
    url: str | None = None
    action: str | None = None
    order: int = 100
    extra: dict = field(default_factory=dict)


def registry(app):
    """Return the app's registry of panels, step providers and menu entries."""
    return app.extensions.setdefault(
        "lotse_dashboard", {"panels": [], "steps": [], "nav": [], "badges": {}}
    )


#: The group of rarely used staff entries, shown behind the menu's "Verwaltung" disclosure.
ADMIN = "admin"
#: Personal entries, shown with the account links (name, sign-out) instead of in the menu.
ACCOUNT = "account"


def register_nav(app, label, endpoint, roles=None, order=100, group=None, hidden_for=None):
    """Add a main-menu entry, for everyone signed in or for holders of ``roles``; with
    ``group=ADMIN`` it sits in the "Verwaltung" part of the menu, with ``group=ACCOUNT`` beside
    the account links. ``hidden_for(user)`` True leaves the entry out for that person."""
    entry = (order, label, endpoint, tuple(roles) if roles else None, group, hidden_for)
    registry(app)["nav"].append(entry)


def nav_for(app, user, group=None):
    """Return the (label, endpoint) menu entries of ``group`` the user may see."""
    entries = sorted(registry(app)["nav"], key=lambda n: n[0])
    return [
        (label, ep)
        for _o, label, ep, roles, in_group, hidden_for in entries
        if in_group == group
        and (roles is None or user.has_role(*roles))
        and not (hidden_for and hidden_for(user))
    ]


def register_badge(app, endpoint, count):
    """Show ``count(user)`` (one cheap query; 0 shows nothing) beside the menu entry ``endpoint``."""
    registry(app)["badges"][endpoint] = count


def badge_for(app, user, endpoint):
    """The number shown beside menu entry ``endpoint`` for ``user`` (0: none registered)."""
    count = registry(app)["badges"].get(endpoint)
    return count(user) if count else 0


def register_panel(app, name, roles, template, context=None, order=100):
    """Add a panel for people holding any of ``roles``."""
    registry(app)["panels"].append(Panel(name, tuple(roles), template, context, order))


def register_steps(app, provider):
    """Add a callable(user) -> list[Step] describing qualification steps."""
    registry(app)["steps"].append(provider)


def panels_for(app, user):
    """Return (panel, context) pairs the user may see, in order."""
    shown = []
    for panel in sorted(registry(app)["panels"], key=lambda p: p.order):
        if user.has_role(*panel.roles):
            shown.append((panel, panel.context(user) if panel.context else {}))
    return shown


def steps_for(app, user):
    """Return the user's qualification steps from every area, in order."""
    steps = []
    for provider in registry(app)["steps"]:
        steps.extend(provider(user))
    return sorted(steps, key=lambda s: s.order)
