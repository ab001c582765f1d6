"""Forms of the Q1 area: upload a package, upload a new version."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional

from ...core.forms import LotseForm

TOO_LONG = _l("Höchstens %(max)d Zeichen.")


def _strip(value):
    """Remove surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


class UploadForm(LotseForm):
    """Upload a SCORM package (zip) as a new course."""

    file = FileField(
        _l("SCORM-Paket (ZIP-Datei)"),
        validators=[FileRequired(_l("Bitte wählen Sie eine ZIP-Datei aus."))],
    )
    title = StringField(
        _l("Titel im Katalog"),
        filters=[_strip],
        validators=[Optional(), Length(max=200, message=TOO_LONG)],
    )


class UpdateForm(LotseForm):
    """Upload a new version of an existing package."""

    file = FileField(
        _l("Neue Version (ZIP-Datei)"),
        validators=[FileRequired(_l("Bitte wählen Sie eine ZIP-Datei aus."))],
    )
    title = StringField(
        _l("Neuer Titel (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=200, message=TOO_LONG)],
    )


class PublishForm(LotseForm):
    """Publish a package for an audience (lifecycle.AUDIENCES)."""

    audience = SelectField(_l("Für wen"), default="participants")
    cohorts = SelectMultipleField(_l("Durchgänge"), coerce=int, validators=[Optional()])


class CertificateForm(LotseForm):
    """The foundation's setting: which Q1 module of the certificate a package is."""

    module_key = SelectField(_l("Zählt für das Zertifikat als"), validators=[Optional()])
