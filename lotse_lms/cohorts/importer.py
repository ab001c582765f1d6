"""CSV import of participants into a cohort: check every row, show the plan, then run it.

The file has a header line; columns (German or English names): ``E-Mail`` (required),
``Name`` (required for new accounts), ``Organisation``, ``Region``. Comma or semicolon
separated, UTF-8 (with or without BOM) or Windows-1252 as spreadsheets save it.

:func:`plan` checks the whole file and returns one :class:`Row` per line: a new account,
an existing account that joins, or a refused row with every reason named on its field.
Problems of the whole file (an unknown column, no e-mail column, too many rows) refuse the
upload at once. :func:`run_import` (the job) plans again and refuses when anything changed
since the preview, before writing anything; then it creates the accounts (each with an
invitation mail holding a set-password link), tells people with an account by mail, and adds
everyone to the cohort.
"""

import csv
import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..accounts.operations import invite_user, normalise_email
from ..core import jobs, mail
from ..core.errors import collect
from ..core.urls import external_url
from ..extensions import db
from .models import PARTICIPANT, Cohort
from .operations import CohortError, add_member, problems_of_many

JOB_NAME = "cohorts.import_participants"
#: Header names (lower case) -> field.
COLUMNS = {
    "e-mail": "email",
    "email": "email",
    "e-mail-adresse": "email",
    "name": "name",
    "organisation": "organisation",
    "organization": "organisation",
    "region": "region",
}
FIELD_LABELS = {
    "email": "E-Mail",
    "name": "Name",
    "organisation": "Organisation",
    "region": "Region",
}
NEW, EXISTING, REFUSED = "new", "existing", "refused"
#: Rows per commit while the job writes (progress is reported between commits).
BATCH = 25


@dataclass
class Row:
    """One line of the file and what the import does with it."""

    line: int
    email: str
    name: str
    organisation: str = ""
    region: str = ""
    action: str = REFUSED
    #: (field, German message) pairs of a refused row.
    problems: list = field(default_factory=list)
    user_id: int | None = None


@dataclass
class Plan:
    """What an import will do, row by row."""

    rows: list

    def of(self, action):
        """The rows with ``action``."""
        return [r for r in self.rows if r.action == action]

    @property
    def signature(self):
        """What the job checks against the preview: (line, action) of every row."""
        return [[r.line, r.action] for r in self.rows]


def decode(data):
    """The text of an uploaded file (UTF-8 with or without BOM, else Windows-1252)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read(text):
    """(header fields, [(line number, {field: value})]); refuses problems of the whole file."""
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise CohortError(_("Die Datei ist leer."), "file")
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=";,")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), delimiter=dialect.delimiter)
    header = next(reader)
    fields = []
    with collect(CohortError) as refuse:
        for name in header:
            key = COLUMNS.get(name.strip().lower())
            if key is None:
                refuse(_("Unbekannte Spalte „%(name)s“.", name=name.strip()), "file")
            elif key in fields:
                refuse(_("Die Spalte „%(name)s“ steht doppelt.", name=name.strip()), "file")
            fields.append(key)
        if "email" not in fields:
            refuse(_("Die Spalte „E-Mail“ fehlt."), "file")
    records = []
    limit = current_app.config["COHORT_IMPORT_MAX_ROWS"]
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        cells = [v.strip() for v in values]
        record = dict(zip(fields, cells[: len(fields)], strict=False))
        if len(cells) > len(fields):
            record["_extra"] = (len(cells), len(fields))
        records.append((reader.line_num, record))
    if len(records) > limit:
        raise CohortError(
            _("Die Datei hat mehr als %(n)s Zeilen; bitte teilen Sie sie auf.", n=limit), "file"
        )
    if not records:
        raise CohortError(_("Die Datei enthält keine Teilnehmenden."), "file")
    return records


def plan(cohort, text, when=None):
    """Check every row of ``text`` for ``cohort`` and return the :class:`Plan` (no writes)."""
    records = _read(text)
    emails = {normalise_email(values.get("email")) for _line, values in records}
    existing = {
        u.email: u
        for u in db.session.scalars(
            sa.select(User).where(User.email.in_(emails)).options(selectinload(User.role_rows))
        )
    }
    refused = problems_of_many(cohort, list(existing.values()), PARTICIPANT, when)
    seen = {}
    rows = []
    for line, values in records:
        row = Row(
            line=line,
            email=normalise_email(values.get("email")),
            name=values.get("name", ""),
            organisation=values.get("organisation", ""),
            region=values.get("region", ""),
        )
        rows.append(row)
        problems = row.problems
        if "_extra" in values:
            problems.append(
                (
                    None,
                    _(
                        "Die Zeile hat %(n)s Felder, die Kopfzeile nur %(m)s.",
                        n=values["_extra"][0],
                        m=values["_extra"][1],
                    ),
                )
            )
        if not row.email:
            problems.append(("email", _("Die E-Mail-Adresse fehlt.")))
        else:
            try:
                validate_email(row.email, check_deliverability=False)
            except EmailNotValidError:
                problems.append(
                    ("email", _("„%(email)s“ ist keine gültige E-Mail-Adresse.", email=row.email))
                )
            if row.email in seen:
                problems.append(
                    ("email", _("Steht schon in Zeile %(line)s der Datei.", line=seen[row.email]))
                )
            else:
                seen[row.email] = line
        user = existing.get(row.email)
        if user is None:
            if not row.name:
                problems.append(("name", _("Der Name fehlt (für ein neues Konto nötig).")))
            elif len(row.name) > 120:
                problems.append(("name", _("Der Name ist länger als 120 Zeichen.")))
            if not problems:
                row.action = NEW
            continue
        row.user_id = user.id
        row.name = row.name or user.name
        if not user.active:
            problems.append(("email", _("Das Konto %(email)s ist deaktiviert.", email=row.email)))
        problems.extend(("email", p) for p in refused[user.id])
        if not problems:
            row.action = EXISTING
    return Plan(rows)


def run_import(cohort_id, text, signature, actor_id):
    """Job: import the planned rows into the cohort; refuses (writing nothing) if the plan changed.

    Returns the cohort page's path.
    """
    cohort = db.session.get(Cohort, cohort_id)
    actor = db.session.get(User, actor_id)
    if cohort is None or actor is None:
        raise CohortError(_("Den Durchgang gibt es nicht mehr."))
    jobs.progress(done=0, message=_("Die Datei wird erneut geprüft …"))
    found = plan(cohort, text)
    if found.signature != signature:
        raise CohortError(
            _(
                "Seit der Vorschau hat sich etwas geändert (z. B. ein Konto oder eine "
                "Zuordnung). Es wurde nichts importiert; bitte laden Sie die Datei erneut hoch."
            )
        )
    todo = found.of(NEW) + found.of(EXISTING)
    jobs.progress(done=0, total=len(todo), message=_("Die Teilnehmenden werden angelegt …"))
    db.session.commit()  # end the read transaction so progress can be written (SQLite)
    for start in range(0, len(todo), BATCH):
        for row in todo[start : start + BATCH]:
            if row.action == NEW:
                user = invite_user(
                    row.email,
                    row.name,
                    [PARTICIPANT],
                    actor,
                )
                user.organisation, user.region = row.organisation, row.region
            else:
                user = db.session.get(User, row.user_id)
                _tell_existing(user, cohort)
            add_member(cohort, user, PARTICIPANT, actor)
        db.session.commit()
        done = min(start + BATCH, len(todo))
        jobs.progress(
            done=done,
            message=_("%(done)s von %(total)s übernommen.", done=done, total=len(todo)),
        )
    return jobs.path_for("cohorts.show", cohort_id=cohort.id)


def _tell_existing(user, cohort):
    """Mail a person who already has an account that they now belong to the cohort."""
    mail.queue(
        user.email,
        _("Ihr Durchgang: %(name)s", name=cohort.name),
        _(
            "Guten Tag %(name)s,\n\nSie nehmen am Durchgang „%(cohort)s“ der "
            "OM-Lotsen-Qualifizierung teil (%(start)s bis %(end)s). Ihre Übersicht auf der "
            "Lernplattform:\n\n%(link)s",
            name=user.name,
            cohort=cohort.name,
            start=format_date(cohort.starts_on),
            end=format_date(cohort.ends_on),
            link=external_url("core.index"),
        ),
    )


def register(app):
    """Make the import available as a job."""
    jobs.register(app, JOB_NAME, run_import)
