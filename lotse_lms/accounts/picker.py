"""Person pickers: search-as-you-type fields instead of selects with every user.

An area registers a *pool* of people (who may be picked, who may search it) with
:func:`register_pool` in its ``init_app``; its form uses :class:`PersonField` or
:class:`PeopleField` with that pool's key. Without JavaScript the field is a plain text input
for e-mail addresses, resolved and checked on the server; ``static/js/picker.js`` turns it into
an accessible combobox that asks :func:`search` (``GET /people/search``) page by page.
"""

import json
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import StringField
from wtforms.validators import ValidationError

from ..extensions import db
from .models import SEARCH_TEXT, User, UserRole
from .operations import normalise_email

#: Fewer characters than this find nobody (10,000 people match almost any single letter).
MIN_CHARS = 2
#: People per page of results.
PAGE_SIZE = 10
SEPARATORS = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class Pool:
    """Who may be picked in one kind of field, and who may search them."""

    key: str
    #: Roles whose holders are the pool (active people only).
    members: tuple
    #: Roles allowed to search the pool.
    searchers: tuple


def register_pool(app, key, members, searchers):
    """Offer the active holders of ``members`` roles for picking, searchable by ``searchers``."""
    pool = Pool(key, tuple(str(r) for r in members), tuple(str(r) for r in searchers))
    app.extensions.setdefault("lotse_person_pools", {})[key] = pool


def find_pool(key):
    """The registered pool ``key``, or None."""
    return current_app.extensions.get("lotse_person_pools", {}).get(key)


def may_search(user, pool):
    """True if ``user`` may search ``pool``."""
    return any(user.has_role(role) for role in pool.searchers)


def _members(pool):
    """SELECT of the pool's active people."""
    holders = sa.select(UserRole.user_id).where(UserRole.role.in_(pool.members))
    return sa.select(User.id, User.name, User.email, User.region).where(
        User.active.is_(True), User.id.in_(holders)
    )


def search(pool, text, page=1):
    """One page of the pool's people whose name or e-mail contains ``text``: (rows, more).

    One query: it reads one row more than a page to know whether another page follows.
    """
    text = (text or "").strip().lower()[:100]
    if len(text) < MIN_CHARS:
        return [], False
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = (
        _members(pool)
        .where(SEARCH_TEXT.like(pattern, escape="\\"))
        .order_by(User.name, User.id)
        .limit(PAGE_SIZE + 1)
        .offset((max(1, page) - 1) * PAGE_SIZE)
    )
    rows = db.session.execute(query).all()
    return [_entry(row) for row in rows[:PAGE_SIZE]], len(rows) > PAGE_SIZE


def _entry(row):
    """A result as the combobox shows it."""
    return {"email": row.email, "name": row.name, "detail": row.region or ""}


def parse(text):
    """The e-mail addresses in ``text`` (separated by commas, semicolons or spaces), in order."""
    seen = []
    for part in SEPARATORS.split(text or ""):
        email = normalise_email(part)
        if email and email not in seen:
            seen.append(email)
    return seen


def people_by_email(emails):
    """{e-mail: User} for the addresses that belong to someone (one query)."""
    if not emails:
        return {}
    users = db.session.scalars(sa.select(User).where(User.email.in_(emails)))
    return {u.email: u for u in users}


class PeopleField(StringField):
    """Several people of a pool, typed as e-mail addresses or picked by name (with JS).

    After validation ``people`` holds the users in the order given; the operation checks
    whether they may take the part (roles, limits) and says why not.
    """

    multiple = True

    def __init__(self, label=None, validators=None, pool="", **kwargs):
        """A picker field searching ``pool``."""
        super().__init__(label, validators, **kwargs)
        self.pool = pool
        self.people = []

    def _value(self):
        """The addresses as typed (nothing typed is lost)."""
        return self.data or ""

    def pre_validate(self, form):
        """Resolve the addresses; name every unknown one at once."""
        emails = parse(self.data)
        found = people_by_email(emails)
        unknown = [e for e in emails if e not in found]
        if unknown:
            raise ValidationError(
                ngettext(
                    "Niemand mit dieser E-Mail-Adresse gefunden: %(list)s",
                    "Niemand mit diesen E-Mail-Adressen gefunden: %(list)s",
                    len(unknown),
                    list=", ".join(unknown),
                )
            )
        self.people = [found[e] for e in emails]
        if not self.multiple and len(self.people) > 1:
            raise ValidationError(_l("Bitte geben Sie genau eine E-Mail-Adresse an."))

    @property
    def person(self):
        """The one person chosen (single fields), or None."""
        return self.people[0] if self.people else None

    def __call__(self, **kwargs):
        """A text input the picker script enhances; it carries the chosen people's names."""
        chosen = people_by_email(parse(self.data))
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("inputmode", "email")
        kwargs["data-picker"] = url_for("accounts.search_people", pool=self.pool)
        kwargs["data-multiple"] = "1" if self.multiple else "0"
        kwargs["data-chosen"] = json.dumps([_entry(u) for u in chosen.values()], ensure_ascii=False)
        kwargs["data-texts"] = json.dumps(_texts(), ensure_ascii=False)
        return super().__call__(**kwargs)


def _texts():
    """What the combobox says, in the user's language (%s a name, %d a number)."""
    return {
        "chosen": _("Ausgewählt"),
        "remove": _("%s entfernen"),
        "removed": _("%s entfernt"),
        "added": _("%s ausgewählt"),
        "none": _("Niemand gefunden."),
        "min": _("Bitte mindestens zwei Zeichen eingeben."),
        "more": _("Weitere Treffer anzeigen"),
        "count": _("%d Treffer, mit Pfeiltasten wählen"),
        "error": _(
            "Die Suche ist gerade nicht erreichbar; Sie können die E-Mail-Adresse eintippen."
        ),
    }


class PersonField(PeopleField):
    """One person of a pool (see :class:`PeopleField`)."""

    multiple = False
