"""The export ZIP: a README, one JSON file per area and the person's files."""

import json
import zipfile

from flask_babel import gettext as _

from ..core.files import write_private
from ..core.privacy import jsonable
from ..core.timeutil import utcnow


def _readme(person, labels):
    """A short German explanation of what is in the archive."""
    lines = [
        _("Datenauskunft der Lernplattform der OM-Lotsen-Qualifizierung"),
        _(
            "für %(name)s (%(email)s), erstellt am %(at)s UTC.",
            name=person.name,
            email=person.email,
            at=utcnow().strftime("%d.%m.%Y %H:%M"),
        ),
        "",
        _("Jede JSON-Datei enthält die Daten eines Bereichs (maschinenlesbar, UTF-8):"),
    ]
    lines += [f"  {name}.json – {label}" for name, label in labels.items()]
    lines += ["", _("Im Ordner dateien/ liegen Ihre hochgeladenen Nachweise und Ihre Zertifikate.")]
    return "\n".join(lines) + "\n"


def write_archive(path, person, parts, labels):
    """Write the ZIP for ``person`` from the areas' ``parts`` to ``path`` (0600)."""
    write_private(path, b"")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LIESMICH.txt", _readme(person, labels))
        for name, part in parts.items():
            text = json.dumps(jsonable(part.data), ensure_ascii=False, indent=2)
            archive.writestr(f"{name}.json", text)
            for filename, source in part.files:
                archive.write(source, f"dateien/{name}/{filename}")
