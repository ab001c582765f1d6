"""Forms of a room's meetings, protocol, comments and files (the operations check the content)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import Optional

from ..core.forms import LotseForm

DATETIME = "%Y-%m-%dT%H:%M"


def _strip(value):
    """Remove surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


class MeetingForm(LotseForm):
    """Schedule or change a meeting (times in Berlin time)."""

    title = StringField(_l("Titel"), filters=[_strip], render_kw={"maxlength": 200})
    starts_at = DateTimeLocalField(_l("Beginn"), format=DATETIME, validators=[Optional()])
    ends_at = DateTimeLocalField(_l("Ende"), format=DATETIME, validators=[Optional()])
    place = StringField(_l("Ort (Adresse)"), filters=[_strip], render_kw={"maxlength": 300})
    video_url = StringField(_l("Video-Link"), filters=[_strip], render_kw={"maxlength": 500})
    agenda = TextAreaField(
        _l("Tagesordnung (ein Punkt pro Zeile, in dieser Reihenfolge)"), render_kw={"rows": 6}
    )


class CancelForm(LotseForm):
    """Call a meeting off, with an optional reason for the members."""

    reason = StringField(_l("Grund (optional)"), filters=[_strip], render_kw={"maxlength": 500})


class ProtocolForm(LotseForm):
    """The protocol of a meeting (Markdown)."""

    protocol = TextAreaField(_l("Protokoll (Markdown)"), render_kw={"rows": 16})


class CommentForm(LotseForm):
    """A comment on the protocol (Markdown)."""

    body = TextAreaField(_l("Ihr Kommentar"), render_kw={"rows": 4})


class FileForm(LotseForm):
    """A file for the room (PDF, PNG or JPEG)."""

    upload = FileField(_l("Datei (PDF, PNG oder JPEG)"))


class ActionForm(LotseForm):
    """A button that changes something (CSRF token only)."""
