"""Shared helpers of the lotse XBlocks: templates, static files, element ids, staff check."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from web_fragments.fragment import Fragment

from .i18n import TranslatedMixin

STATIC = Path(__file__).resolve().parent / "static"
STAFF_ROLES = {"staff", "instructor", "administrator"}

_env = Environment(
    loader=FileSystemLoader(str(STATIC / "html")),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def static_text(relative: str) -> str:
    """The text of a file under static/ (css/…, js/…)."""
    return (STATIC / relative).read_text(encoding="utf-8")


def trusted(html: str) -> Markup:
    """Mark HTML from markdown-it as safe: raw HTML is off there and all text is escaped."""
    return Markup(html)  # noqa: S704 - produced by markdown-it with html=False


class LotseBlockMixin(TranslatedMixin):
    """Rendering helpers shared by the lotse blocks (the class must want "i18n" and "user")."""

    #: The block's usage and definition ids, an attribute of the XBlock this is mixed into.
    scope_ids: Any

    def element_prefix(self) -> str:
        """A short id prefix unique to this block usage, for element ids and anchors."""
        digest = hashlib.sha1(str(self.scope_ids.usage_id).encode("utf-8")).hexdigest()[:10]  # noqa: S324 - not security
        return f"lotse-{digest}"

    def render_template(self, name: str, **context) -> str:
        """Render a template from static/html with `_` bound to this block's gettext."""
        context.setdefault("_", self.gettext)
        return _env.get_template(name).render(context)

    def fragment(
        self, html: str, js: str | None, init_fn: str | None, init_args: dict | None
    ) -> Fragment:
        """A Fragment with the shared CSS and, if given, one script and its init function."""
        frag = Fragment(html)
        frag.add_css(static_text("css/lotse_xblocks.css"))
        if js:
            frag.add_javascript(static_text(js))
            frag.initialize_js(init_fn, init_args or {})
        return frag

    def is_course_staff(self) -> bool:
        """True for course staff in Open edX (user service attributes or the legacy runtime flag)."""
        try:
            service = self.runtime.service(self, "user")
        except Exception:  # noqa: BLE001 - a runtime without the user service
            service = None
        if service is not None:
            try:
                user = service.get_current_user()
            except NotImplementedError:  # the reference UserService
                user = None
            attrs = getattr(user, "opt_attrs", {}) or {}
            if (
                attrs.get("edx-platform.user_is_staff")
                or attrs.get("edx-platform.user_role") in STAFF_ROLES
            ):
                return True
        return bool(getattr(self.runtime, "user_is_staff", False))
