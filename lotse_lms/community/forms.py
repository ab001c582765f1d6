"""Forms of the community: a thread, a post, a reason, a topic board."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.validators import Optional

from ..core.forms import LotseForm


def _strip(value):
    """Remove surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


class _Titled(LotseForm):
    """A title, declared before PostForm's fields: WTForms orders fields by declaration, and
    a new thread shows (and lists its errors) title first."""

    title = StringField(_l("Titel"), filters=[_strip], render_kw={"maxlength": 200})


class PostForm(LotseForm):
    """A reply or an edited post (Markdown; the operation checks it)."""

    body = TextAreaField(_l("Ihr Beitrag"), render_kw={"rows": 8})
    attachments = MultipleFileField(
        _l("Anhänge (PDF, PNG oder JPEG, höchstens 3 Dateien zu je 5 MB)"),
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg"},
    )

    def files(self):
        """The uploaded files as (name, bytes)."""
        return [
            (upload.filename, upload.read())
            for upload in (self.attachments.data or [])
            if getattr(upload, "filename", None)
        ]


class ThreadForm(_Titled, PostForm):
    """A new thread: its title and first post."""


class ReasonForm(LotseForm):
    """Why a post is reported or hidden."""

    reason = StringField(_l("Grund"), filters=[_strip], render_kw={"maxlength": 500})


class BoardForm(LotseForm):
    """A topic board of the Lotsen-Community."""

    name = StringField(_l("Name"), filters=[_strip], render_kw={"maxlength": 120})
    description = StringField(_l("Beschreibung"), filters=[_strip], render_kw={"maxlength": 500})


class RetentionForm(LotseForm):
    """How long a space keeps threads without new posts."""

    days = IntegerField(
        _l("Aufbewahrung in Tagen nach dem letzten Beitrag (leer: unbegrenzt)"),
        render_kw={"min": 1, "inputmode": "numeric"},
        validators=[Optional()],
    )


class ActionForm(LotseForm):
    """A button that changes something (CSRF token only)."""


class DeliveryForm(LotseForm):
    """How community notifications reach the person by mail."""

    delivery = RadioField(_l("E-Mails zu Benachrichtigungen"), choices=[])
