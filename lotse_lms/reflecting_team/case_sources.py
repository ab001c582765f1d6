"""Templates for a case: other areas offer situations a Lotse may bring into a session.

An area registers a source in its ``init_app`` (``register_case_source``); a source has
``options(user) -> [(key, label)]`` (what ``user`` may take as a case, keys unique across
sources, e.g. ``"raum-12"``) and ``prefill(user, key) -> {"situation", "firms", "question"}``
(or None when the key is not theirs or not ``user``'s). The case form offers the options and
fills its fields from the chosen one; nothing is saved until the case owner saves the form.
"""

from flask import current_app


def register_case_source(app, source):
    """Offer ``source``'s situations as case templates (called from an area's ``init_app``)."""
    app.extensions.setdefault("rt_case_sources", []).append(source)


def _sources():
    return current_app.extensions.get("rt_case_sources", [])


def options(user):
    """Every template ``user`` may take: ``[(key, label)]``."""
    return [option for source in _sources() for option in source.options(user)]


def prefill(user, key):
    """The case fields of template ``key`` for ``user``, or None."""
    for source in _sources():
        fields = source.prefill(user, key)
        if fields is not None:
            return fields
    return None
