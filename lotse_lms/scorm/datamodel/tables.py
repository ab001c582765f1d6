"""Access to the element tables of both SCORM versions."""

from .table12 import TABLE_12
from .table2004 import TABLE_2004

TABLES = {"1.2": TABLE_12, "2004": TABLE_2004}


def table_for(version):
    """Return the element table of SCORM version "1.2" or "2004"."""
    try:
        return TABLES[version]
    except KeyError:
        raise ValueError(f"unknown SCORM version {version!r}") from None
