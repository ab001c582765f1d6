"""The XML schemas shipped in lotse_lms/scorm/xsd: which files a manifest needs, and validation.

A package carries at its root the schema files its manifest names in xsi:schemaLocation,
plus every file those import or include (and DTDs they declare), found by reading them.
Validation uses xmlschema with a small wrapper schema that imports each namespace the
manifest uses (the IMS CP schemas accept foreign elements only if their schema is loaded).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import xmlschema
from lxml import etree

XSD_ROOT = Path(__file__).resolve().parent.parent / "xsd"
_LOCATION = re.compile(rb'schemaLocation\s*=\s*"([^"]+)"')
_DOCTYPE = re.compile(rb'<!DOCTYPE[^>]*?"([^"]+\.dtd)"')
_DTD_ENTITY = re.compile(rb"<!ENTITY\s+%[^>]*?['\"]([^'\"\s]+\.dtd)['\"]")


@dataclass(frozen=True)
class SchemaSet:
    """The schema folder and namespaces of one SCORM version."""

    folder: str
    namespaces: tuple[tuple[str, str], ...]  # (namespace, file) pairs named in the manifest

    @property
    def directory(self) -> Path:
        """The folder holding this version's schema files."""
        return XSD_ROOT / self.folder

    def schema_location(self) -> str:
        """The xsi:schemaLocation value: namespace/file pairs."""
        return " ".join(f"{ns} {file}" for ns, file in self.namespaces)


SCORM12 = SchemaSet(
    "scorm12",
    (
        ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
    ),
)
SCORM2004 = SchemaSet(
    "scorm2004_4th",
    (
        ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
        ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
    ),
)
SCHEMA_SETS = {"1.2": SCORM12, "2004": SCORM2004}


@functools.cache
def schema_files(standard: str) -> tuple[str, ...]:
    """Relative paths of all schema files a package of this version must carry, sorted."""
    schema_set = SCHEMA_SETS[standard]
    root = schema_set.directory.resolve()
    todo = [file for _, file in schema_set.namespaces]
    found: set[str] = set()
    while todo:
        rel = todo.pop()
        if rel in found:
            continue
        path = (root / rel).resolve()
        if root not in path.parents or not path.is_file():
            raise FileNotFoundError(f"schema file {rel} not found in {root}")
        found.add(rel)
        data = path.read_bytes()
        base = Path(rel).parent
        for ref in _LOCATION.findall(data) + _DOCTYPE.findall(data) + _DTD_ENTITY.findall(data):
            ref = ref.decode()
            if "://" in ref:
                continue
            todo.append((base / ref).as_posix())
    return tuple(sorted(found))


def _wrapper(schema_set: SchemaSet) -> str:
    """A schema that only imports every namespace of the set from the local files."""
    imports = "\n".join(
        f'  <xs:import namespace="{ns}" schemaLocation="{file}"/>'
        for ns, file in schema_set.namespaces
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"'
        ' targetNamespace="urn:lotse-lms:scorm-manifest-wrapper" elementFormDefault="qualified">\n'
        f"{imports}\n</xs:schema>\n"
    )


def _builtin_xml_namespace(url: str) -> str:
    """Send imports of the xml: namespace schema to xmlschema's own copy.

    The SCORM 1.2 ims_xml.xsd binds the reserved xml namespace as its default namespace,
    which XML parsers refuse; the package still carries the file, but validation uses
    xmlschema's bundled schema for the same namespace (one attribute set: xml:lang, xml:base).
    """
    if url.endswith(("/ims_xml.xsd", "/xml.xsd")):
        return (Path(xmlschema.__file__).parent / "schemas" / "XML" / "xml.xsd").as_uri()
    return url


@functools.cache
def manifest_schema(standard: str) -> xmlschema.XMLSchema:
    """The loaded (and cached) schema that validates a manifest of this version."""
    schema_set = SCHEMA_SETS[standard]
    base = schema_set.directory.as_posix() + "/"
    return xmlschema.XMLSchema10(
        _wrapper(schema_set),
        base_url=base,
        allow="sandbox",
        defuse="always",
        uri_mapper=_builtin_xml_namespace,
    )


def manifest_errors(xml: bytes, standard: str) -> list[str]:
    """All schema violations of a manifest, as "line N: reason" strings (empty when valid)."""
    schema = manifest_schema(standard)
    tree = etree.fromstring(xml)
    errors = []
    for error in schema.iter_errors(etree.ElementTree(tree)):
        line = getattr(error.elem, "sourceline", None) if error.elem is not None else None
        errors.append(f"line {line}: {error.reason}" if line else str(error.reason))
    return errors
