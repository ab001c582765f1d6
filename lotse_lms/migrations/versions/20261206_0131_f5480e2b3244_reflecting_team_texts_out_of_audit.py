"""reflecting-team texts out of the audit log

The audit log is readable by admins, whom the reflecting team's confidentiality excludes.
Entries written before this revision held the wording of cases, reflections,
self-reflections (old and new on revision) and amendments; they keep ids, field names,
lengths and who/when, and lose the text.

Revision ID: f5480e2b3244
Revises: 8c2f4d6e1a57
Create Date: 2026-12-06 01:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f5480e2b3244"
down_revision = "8c2f4d6e1a57"
branch_labels = None
depends_on = None

#: Actions that logged the full text of a reflecting-team record.
CREATED = (
    "reflecting_team.case_submitted",
    "reflecting_team.reflection_recorded",
    "reflecting_team.self_reflection_recorded",
)
REVISED = (
    "reflecting_team.case_revised",
    "reflecting_team.reflection_revised",
    "reflecting_team.self_reflection_revised",
)
AMENDED = "reflecting_team.amendment_added"
#: Keys of those entries that are ids, not text.
KEPT = {"session", "amends", "changed", "lengths", "length"}

entries = sa.table(
    "audit_entries",
    sa.column("id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("details", sa.JSON),
)


def without_text(action, details):
    """The details of an old entry with every text replaced by its length."""
    details = dict(details or {})
    if action in REVISED and isinstance(details.get("changed"), dict):
        changed = details["changed"]
        details["changed"] = sorted(changed)
        details["lengths"] = {
            key: len(pair[1]) if isinstance(pair, list) and len(pair) == 2 else None
            for key, pair in changed.items()
        }
    elif action == AMENDED and "body" in details:
        details["length"] = len(details.pop("body") or "")
    elif action in CREATED:
        texts = {k: v for k, v in details.items() if k not in KEPT}
        details = {k: v for k, v in details.items() if k in KEPT}
        details["lengths"] = {k: len(v) if isinstance(v, str) else None for k, v in texts.items()}
    return details


def upgrade():
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(entries.c.id, entries.c.action, entries.c.details).where(
            entries.c.action.in_((*CREATED, *REVISED, AMENDED))
        )
    ).all()
    for row in rows:
        cleaned = without_text(row.action, row.details)
        if cleaned != row.details:
            conn.execute(entries.update().where(entries.c.id == row.id).values(details=cleaned))


def downgrade():
    # The removed texts are gone for good; going down leaves the entries as they are.
    pass
