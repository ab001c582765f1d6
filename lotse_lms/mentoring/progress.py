"""What mentors see of a mentee's progress: a registry other areas fill in.

An area registers ``provider(user) -> list[(label, value, state)]`` in its ``init_app``::

    from lotse_lms.mentoring.progress import register_progress_provider
    register_progress_provider(app, q1_progress, order=30)

``label`` and ``value`` are short texts, ``state`` one of "done", "pending", "open",
"rejected" (the dashboard's badge states). Mentoring itself shows the foundation's
prerequisites (authorisation and workshop).
"""

from dataclasses import dataclass

from flask_babel import gettext as _

STATES = ("done", "pending", "open", "rejected")


@dataclass(frozen=True)
class ProgressItem:
    """One line of a mentee's progress."""

    label: str
    value: str
    state: str


def register_progress_provider(app, provider, order=100):
    """Add a callable(user) -> list[(label, value, state)] shown to mentors and staff."""
    app.extensions.setdefault("lotse_mentoring_progress", []).append((order, provider))


def progress_of(app, user):
    """Every registered provider's lines for ``user``, in registration order."""
    items = []
    for _order, provider in sorted(
        app.extensions.get("lotse_mentoring_progress", []), key=lambda p: p[0]
    ):
        for label, value, state in provider(user):
            items.append(ProgressItem(str(label), str(value), state if state in STATES else "open"))
    return items


def prerequisites_progress(user):
    """The foundation's prerequisites: authorisation and workshop, with their status."""
    from ..accounts.models import VerificationStatus
    from ..accounts.verification import authorisation_of, workshop_of

    state_of = {
        VerificationStatus.VERIFIED: "done",
        VerificationStatus.SUBMITTED: "pending",
        VerificationStatus.REJECTED: "rejected",
    }
    rows = []
    for label, record in (
        (_("Autorisierung als OM-Beraterin / OM-Berater"), authorisation_of(user)),
        (_("Workshop „Gemeinsames Beratungsverständnis“"), workshop_of(user)),
    ):
        if record is None:
            rows.append((label, _("noch nicht eingereicht"), "open"))
        else:
            rows.append((label, record.status_label, state_of[VerificationStatus(record.status)]))
    return rows
