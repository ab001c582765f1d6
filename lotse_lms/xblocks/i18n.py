"""German user-facing strings with an English catalogue bundled in translations/.

The msgids are the German texts, so German is what a learner sees whenever no other
language is known. The catalogue follows Open edX's convention for XBlock packages
(translations/<lang>/LC_MESSAGES/text.po and text.mo next to the block modules), so the
platform's i18n service can load it too; the blocks themselves load it with gettext for the
language the runtime reports (see `language`).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "text"
DEFAULT_LANGUAGE = "de"


def _(text: str) -> str:
    """Mark a string for extraction (field names and help texts); translated when shown."""
    return text


@lru_cache(maxsize=16)
def catalogue(language: str | None) -> gettext.NullTranslations:
    """The catalogue for a language code ("en", "en-us", "de-DE", …); German: none needed."""
    code = (language or DEFAULT_LANGUAGE).replace("-", "_").split("_")[0].lower()
    if code == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, str(LOCALE_DIR), [code], fallback=True)


def _django_get_language() -> Callable[[], str | None] | None:
    """Django's get_language, or None where Django is not installed (a runtime without it)."""
    try:  # imported here: the blocks work without Django, which is no dependency of theirs
        from django.utils import translation
    except ImportError:  # pragma: no cover - no Django
        return None
    return translation.get_language


def language(service) -> str:
    """The runtime's current language: its i18n service's, else Django's, else German.

    Open edX's and the XBlock workbench's i18n services both expose Django's translation
    functions; a runtime without Django gets German.
    """
    get_language = getattr(service, "get_language", None) if service is not None else None
    if not callable(get_language):
        # Open edX wraps a GNUTranslations without get_language once it found our text.mo
        get_language = _django_get_language()
        if get_language is None:  # pragma: no cover - no Django, no language choice
            return DEFAULT_LANGUAGE
    try:
        return get_language() or DEFAULT_LANGUAGE
    except Exception:  # noqa: BLE001 - Django not configured: fall back to German
        return DEFAULT_LANGUAGE


class TranslatedMixin:
    """For XBlocks: `self.gettext` / `self.ugettext` in the language the runtime reports.

    The block class must be decorated with `@XBlock.wants("i18n")`. `ugettext` is the name
    xblock.utils.studio_editable looks for to translate field names and help texts.
    """

    #: The XBlock runtime, an attribute of the block class this is mixed into.
    runtime: Any

    def _translations(self) -> gettext.NullTranslations:
        """The catalogue for the runtime's current language."""
        return catalogue(self.language_code())

    def language_code(self) -> str:
        """The runtime's language as a two-letter code ("de" when unknown)."""
        try:
            service = self.runtime.service(self, "i18n")
        except Exception:  # noqa: BLE001 - a runtime without the service
            service = None
        return language(service).replace("_", "-").split("-")[0].lower() or DEFAULT_LANGUAGE

    def gettext(self, text: str) -> str:
        """Translate a German text into the runtime's language."""
        return self._translations().gettext(text)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a German text with a number."""
        return self._translations().ngettext(singular, plural, n)

    ugettext = gettext
