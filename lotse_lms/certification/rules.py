"""What "eligible for the certificate" means: one function per prerequisite.

Each rule is ``function(user) -> RuleResult``; config ``CERT_RULES`` chooses which apply and
in which order. The other areas are imported inside the rules, so this module works (and
names the missing area) while an area is not installed.
"""

from dataclasses import asdict, dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


@dataclass
class RuleResult:
    """The state of one prerequisite for one person."""

    key: str
    label: str
    met: bool
    #: Since when the prerequisite is met (None when unmet or unknown).
    since: datetime | None = None
    #: The record it was read from, in words (e.g. "Autorisierung Nr. 42, bestätigt").
    source: str = ""
    #: What is still missing, in words ("" when met).
    missing: str = ""

    def snapshot(self):
        """A JSON-ready copy for a certificate's evidence."""
        data = asdict(self)
        data["label"] = str(self.label)
        data["since"] = self.since.isoformat() if self.since else None
        return data


def _date(value):
    """A date in the reader's format, or an empty string."""
    return format_date(value, "medium") if value else ""


def _function(name, *modules):
    """``name`` from the first of ``modules`` that has it (agreed: ``<area>.operations``); ImportError if none."""
    from importlib import import_module

    for module in modules:
        try:
            found = getattr(import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return found
    raise ImportError(f"{name} not found in {', '.join(modules)}")


Q2_MODULES = ("lotse_lms.modules.q2.operations", "lotse_lms.modules.q2")


def _area_missing(key, label, area):
    """The result for a rule whose area is not installed yet."""
    return RuleResult(
        key,
        label,
        False,
        None,
        "",
        _("Der Bereich „%(area)s“ ist auf dieser Plattform noch nicht verfügbar.", area=area),
    )


def _verified_record(key, label, record, source_text):
    """Shared logic of the two records the foundation verifies."""
    from ..accounts.models import VerificationStatus

    if record is None:
        return RuleResult(key, label, False, None, "", _("Noch nicht eingereicht."))
    if record.status == VerificationStatus.VERIFIED:
        return RuleResult(
            key,
            label,
            True,
            record.reviewed_at,
            _("%(what)s, bestätigt am %(date)s", what=source_text, date=_date(record.reviewed_at)),
        )
    if record.status == VerificationStatus.REJECTED:
        return RuleResult(
            key,
            label,
            False,
            None,
            source_text,
            _("Von der Stiftung abgelehnt: %(reason)s", reason=record.reason),
        )
    return RuleResult(
        key, label, False, None, source_text, _("Eingereicht, die Stiftung prüft noch.")
    )


def rule_authorisation(user):
    """1. The OM-consultant authorisation, verified by foundation staff."""
    from ..accounts.verification import authorisation_of

    record = authorisation_of(user)
    source = _("Autorisierung Nr. %(number)s", number=record.number) if record else ""
    return _verified_record(
        "authorisation", _("Autorisierung als OM-Beraterin / OM-Berater"), record, source
    )


def rule_workshop(user):
    """2. The workshop "Gemeinsames Beratungsverständnis", attended and verified."""
    from ..accounts.verification import workshop_of

    record = workshop_of(user)
    source = (
        _("Workshop am %(date)s in %(place)s", date=_date(record.attended_on), place=record.place)
        if record
        else ""
    )
    return _verified_record(
        "workshop", _("Workshop „Gemeinsames Beratungsverständnis“"), record, source
    )


def rule_q1(user):
    """3. The Q1 modules (config Q1_MODULES) completed and passed, as SCORM reported them."""
    label = _("Q1-Selbstlernmodule abgeschlossen und bestanden")
    try:
        from ..modules.q1.operations import q1_progress
    except ImportError:
        return _area_missing("q1", label, "Q1")
    modules = q1_progress(user)
    done = [m for m in modules if m["completed"] and m["passed"] is not False]
    open_ = [m for m in modules if m not in done]
    source = "; ".join(
        _("%(title)s: abgeschlossen am %(date)s", title=m["title"], date=_date(m["completed_at"]))
        + (_(" (%(score)s %%)", score=round(m["score"])) if m["score"] is not None else "")
        for m in done
    )
    if modules and not open_:
        since = max((m["completed_at"] for m in done if m["completed_at"]), default=None)
        return RuleResult("q1", label, True, since, source)
    missing = "; ".join(
        _("%(title)s: nicht bestanden", title=m["title"])
        if m["completed"]
        else _("%(title)s: noch nicht abgeschlossen", title=m["title"])
        for m in open_
    ) or _("Keine Q1-Module konfiguriert.")
    return RuleResult("q1", label, False, None, source, missing)


def rule_q2(user):
    """4. The required Q2 attendance: at least CERT_Q2_MIN_HOURS and every CERT_Q2_TOPICS topic."""
    label = _("Q2-Präsenzteilnahme nachgewiesen")
    try:
        q2_progress = _function("q2_progress", *Q2_MODULES)
    except ImportError:
        return _area_missing("q2", label, "Q2")
    progress = q2_progress(user)
    need_hours = float(current_app.config["CERT_Q2_MIN_HOURS"])
    need_topics = list(current_app.config["CERT_Q2_TOPICS"])
    have_hours = float(progress["attended_hours"])
    have_topics = set(progress["attended_topics"])
    attended = [s for s in progress["sessions"] if str(s.get("attendance")) == "present"]
    source = _(
        "%(hours)s Stunden in %(n)s Q2-Sitzungen anwesend",
        hours=_hours(have_hours),
        n=len(attended),
    )
    if attended:
        source += ": " + ", ".join(s["title"] for s in attended)
    gaps = []
    if have_hours + 1e-9 < need_hours:
        gaps.append(_("noch %(hours)s Stunden Anwesenheit", hours=_hours(need_hours - have_hours)))
    missing_topics = [t for t in need_topics if t not in have_topics]
    if missing_topics:
        gaps.append(
            _("Themen: %(topics)s", topics=", ".join(_topic_label(t) for t in missing_topics))
        )
    if gaps:
        return RuleResult("q2", label, False, None, source, "; ".join(gaps))
    since = max((s["starts_at"] for s in attended if s.get("starts_at")), default=None)
    return RuleResult("q2", label, True, since, source)


def _hours(value):
    """Hours with at most one decimal, German style."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _topic_label(key):
    """The name of a Q2 topic, or its key."""
    try:
        from ..modules.q2.common import topic_label
    except ImportError:
        return key
    return topic_label(key)


def rule_reflecting_team(user):
    """5. Reflecting team: enough closed sessions as case owner (with self-reflection) and as member."""
    label = _("Reflecting Team: Fallgeberin / Fallgeber und Teammitglied")
    try:
        from ..reflecting_team.operations import participation
    except ImportError:
        return _area_missing("reflecting_team", label, "Reflecting Team")
    part = participation(user)
    need_owner = part.get(
        "required_as_case_owner", current_app.config.get("RT_MIN_AS_CASE_OWNER", 1)
    )
    need_member = part.get("required_as_member", current_app.config.get("RT_MIN_AS_MEMBER", 1))
    counted = [s for s in part["sessions"] if s.get("counts")]
    source = _(
        "%(owner)s Sitzung(en) als Fallgeberin / Fallgeber, %(member)s als Teammitglied",
        owner=part["as_case_owner"],
        member=part["as_member"],
    )
    if part["met"]:
        since = max((s["held_on"] for s in counted if s.get("held_on")), default=None)
        return RuleResult("reflecting_team", label, True, _as_datetime(since), source)
    gaps = []
    if part["as_case_owner"] < need_owner:
        gaps.append(
            _(
                "noch %(n)s Sitzung(en) als Fallgeberin / Fallgeber mit abschließender Selbstreflexion",
                n=need_owner - part["as_case_owner"],
            )
        )
    if part["as_member"] < need_member:
        gaps.append(_("noch %(n)s Sitzung(en) als Teammitglied", n=need_member - part["as_member"]))
    return RuleResult(
        "reflecting_team", label, False, None, source, "; ".join(gaps) or _("nicht erfüllt")
    )


def _as_datetime(value):
    """Dates become midnight UTC datetimes so every ``since`` has one type."""
    from datetime import UTC, date, time

    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=UTC)
    return None


def rule_mentor(user):
    """6. The mentor's recommendation in effect is "recommended"."""
    label = _("Empfehlung der Mentorin / des Mentors")
    try:
        from ..mentoring.operations import current_recommendation
    except ImportError:
        return _area_missing("mentor", label, "Mentoring")
    rec = current_recommendation(user)
    if rec is None:
        return RuleResult("mentor", label, False, None, "", _("Noch keine Empfehlung abgegeben."))
    mentor = getattr(getattr(rec, "mentor", None), "name", "")
    source = _("Empfehlung von %(mentor)s vom %(date)s", mentor=mentor, date=_date(rec.created_at))
    if str(rec.status) == "recommended":
        return RuleResult("mentor", label, True, rec.created_at, source)
    return RuleResult(
        "mentor",
        label,
        False,
        None,
        source,
        _("Noch nicht empfohlen: %(reason)s", reason=rec.reason or "–"),
    )


#: Every known rule, by key, in the default order.
RULES = {
    "authorisation": rule_authorisation,
    "workshop": rule_workshop,
    "q1": rule_q1,
    "q2": rule_q2,
    "reflecting_team": rule_reflecting_team,
    "mentor": rule_mentor,
}
RULE_LABELS = {
    "authorisation": _l("Autorisierung als OM-Beraterin / OM-Berater"),
    "workshop": _l("Workshop „Gemeinsames Beratungsverständnis“"),
    "q1": _l("Q1-Selbstlernmodule abgeschlossen und bestanden"),
    "q2": _l("Q2-Präsenzteilnahme nachgewiesen"),
    "reflecting_team": _l("Reflecting Team: Fallgeberin / Fallgeber und Teammitglied"),
    "mentor": _l("Empfehlung der Mentorin / des Mentors"),
}


def active_rules(app=None):
    """The rule keys this instance requires (config CERT_RULES)."""
    return list((app or current_app).config["CERT_RULES"])


def check_config(app):
    """Refuse unknown rule keys at start-up instead of silently skipping a prerequisite."""
    unknown = [key for key in app.config["CERT_RULES"] if key not in RULES]
    if unknown:
        from ..config import ConfigError

        raise ConfigError(
            f"CERT_RULES: unknown rule(s) {', '.join(unknown)}; known: {', '.join(RULES)}"
        )


def checklist(user):
    """Every required prerequisite for ``user``, met or not, in order."""
    return [RULES[key](user) for key in active_rules()]


def unmet(user):
    """The prerequisites ``user`` does not meet yet (empty: eligible)."""
    return [result for result in checklist(user) if not result.met]


def is_eligible(user):
    """True if every required prerequisite is met."""
    return not unmet(user)


def budget(user):
    """Whether the whole plan stayed within the time budget (shown, never enforced), or None."""
    try:
        q2_progress = _function("q2_progress", *Q2_MODULES)
    except ImportError:
        return None
    progress = q2_progress(user)
    if "total_hours" not in progress:
        return None
    return {
        "total_hours": progress["total_hours"],
        "budget_hours": progress["budget_hours"],
        "within": not progress["over_budget"],
        "text": _hours(progress["total_hours"]),
        "budget_text": _hours(progress["budget_hours"]),
    }


def _content(user):
    """What the person covered in Q1 and Q2, for the certificate's text."""
    content = {"q1_modules": [], "q2_topics": [], "q2_hours": 0}
    try:
        from ..modules.q1.operations import q1_progress

        content["q1_modules"] = [m["title"] for m in q1_progress(user)]
    except ImportError:
        pass
    try:
        progress = _function("q2_progress", *Q2_MODULES)(user)
        content["q2_topics"] = sorted(_topic_label(t) for t in progress["attended_topics"])
        content["q2_hours"] = float(progress["attended_hours"])
    except ImportError:
        pass
    return content


def evidence_snapshot(user):
    """The checklist as stored in a certificate (German, JSON-ready)."""
    with force_locale("de"):
        results = checklist(user)
        plan = budget(user)
        return {
            "rules": [r.snapshot() for r in results],
            "content": _content(user),
            "budget": {k: v for k, v in plan.items() if k != "text" and k != "budget_text"}
            if plan
            else None,
            "config": {
                "rules": active_rules(),
                "q2_min_hours": current_app.config["CERT_Q2_MIN_HOURS"],
                "q2_topics": list(current_app.config["CERT_Q2_TOPICS"]),
            },
        }, results
