"""Parse imsmanifest.xml (SCORM 1.2 and 2004) safely into plain dataclasses.

A document that carries a DOCTYPE at all is refused before and after parsing, so neither
external entities (XXE), external DTDs nor entity expansion ("billion laughs") can reach
us; the lxml parser itself is hardened too (no entity substitution, no DTD loading, no
network, no huge trees, and a resolver that answers every external request with nothing). Elements are matched by local
name so slightly unusual namespace choices of authoring tools still parse.
"""

from __future__ import annotations

from lxml import etree

from .errors import ManifestError
from .manifest_items import parse_items, sequencing_parts
from .manifest_model import (
    Item,
    Manifest,
    Organization,
    Resource,
    TocEntry,
    join_parameters,
)
from .sequencing.xmlparse import merge_sequencing
from .xmlutil import (
    XML_BASE,
    attr_by_local,
    child,
    children,
    join_base,
    local,
    parse_bool,
    text_of,
)

__all__ = [
    "Item",
    "Manifest",
    "ManifestError",
    "Organization",
    "Resource",
    "TocEntry",
    "join_parameters",
    "parse_manifest",
]

_EDITIONS = {
    "1.2": "1.2",
    "cam 1.3": "2004 2nd Edition",
    "2004 2nd edition": "2004 2nd Edition",
    "2004 3rd edition": "2004 3rd Edition",
    "2004 4th edition": "2004 4th Edition",
}


class _DenyAll(etree.Resolver):
    """Answer every external DTD or entity request with nothing (no file, no network)."""

    def resolve(self, url: str, pubid: str | None, context: object) -> object:
        """Resolve any URL to an empty document."""
        return self.resolve_string("", context)


def _parser() -> etree.XMLParser:
    """Return a fresh lxml parser that resolves nothing and loads nothing."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        collect_ids=False,
    )
    # libxml2 still opens an external DTD subset named in a DOCTYPE; never let it.
    parser.resolvers.add(_DenyAll())
    return parser


def _has_doctype(data: bytes) -> bool:
    """True if the raw bytes contain a DOCTYPE declaration in a common encoding."""
    encodings = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
    return any("<!DOCTYPE".encode(enc) in data for enc in encodings)


def _doctype_error(detail: str) -> ManifestError:
    """Build the error for a manifest that declares a DOCTYPE or uses entities."""
    return ManifestError(
        "manifest_doctype",
        "Die Datei imsmanifest.xml enthält eine DOCTYPE-Deklaration oder Entitäten; "
        "das ist aus Sicherheitsgründen nicht erlaubt.",
        detail,
    )


def _load(data: bytes) -> etree._Element:
    """Parse bytes into the root element, refusing malformed XML and any DOCTYPE."""
    if not data.strip():
        raise ManifestError("manifest_empty", "Die Datei imsmanifest.xml ist leer.")
    if _has_doctype(data):
        raise _doctype_error("DOCTYPE found before parsing")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        reason = (exc.msg or str(exc)).strip()
        raise ManifestError(
            "malformed_xml",
            f"Die Datei imsmanifest.xml ist kein gültiges XML (Zeile {line}: {reason}).",
            str(exc),
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _doctype_error(f"DOCTYPE {docinfo.doctype!r}")
    entity = next(root.iter(etree.Entity), None)
    if entity is not None:
        raise _doctype_error(f"entity reference {entity.text!r}")
    if local(root) != "manifest":
        raise ManifestError(
            "not_a_manifest",
            "Die Datei imsmanifest.xml enthält kein <manifest>-Element.",
            f"root element is {root.tag!r}",
        )
    return root


def _namespaces(root: etree._Element) -> set[str]:
    """Collect every namespace URI used by elements or attributes of the document."""
    found: set[str] = set()
    for el in root.iter(etree.Element):
        found.add(etree.QName(el).namespace or "")
        for key in el.attrib:
            if key.startswith("{"):
                found.add(key[1:].split("}", 1)[0])
    return found


def _standard(root: etree._Element, schema_version: str | None) -> tuple[str, str]:
    """Decide SCORM 1.2 or 2004 and the edition from <schemaversion> and namespaces."""
    version = " ".join((schema_version or "").split()).lower()
    if version in _EDITIONS:
        edition = _EDITIONS[version]
        return ("1.2" if edition == "1.2" else "2004"), edition
    if version.startswith("1.2"):
        return "1.2", "1.2"
    if "2004" in version or "1.3" in version:
        return "2004", "2004"
    namespaces = _namespaces(root)
    if any("adlcp_v1p3" in ns or "imsss" in ns or "adlseq" in ns for ns in namespaces):
        return "2004", "2004"
    if any("adlcp_rootv1p2" in ns or "imscp_rootv1p1p2" in ns for ns in namespaces):
        return "1.2", "1.2"
    if etree.QName(root).namespace == "http://www.imsglobal.org/xsd/imscp_v1p1":
        return "2004", "2004"
    return "1.2", "1.2"


def _parse_resources(
    manifest_el: etree._Element, base: str, ids: set[str], warnings: list[str]
) -> dict[str, Resource]:
    """Read <resources> into Resource objects with xml:base applied to every href."""
    resources: dict[str, Resource] = {}
    resources_el = child(manifest_el, "resources")
    if resources_el is None:
        return resources
    base = join_base(base, resources_el.get(XML_BASE))
    for res_el in children(resources_el, "resource"):
        identifier = (res_el.get("identifier") or "").strip()
        if not identifier:
            raise ManifestError(
                "resource_without_identifier",
                "Eine Ressource im Manifest hat keine Kennung (identifier).",
            )
        _claim(identifier, ids)
        res_base = join_base(base, res_el.get(XML_BASE))
        raw_type = (attr_by_local(res_el, "scormtype") or "").strip().lower()
        if raw_type not in ("sco", "asset"):
            warnings.append(
                f"Die Ressource »{identifier}« hat keinen gültigen SCORM-Typ "
                f"(adlcp:scormType); sie wird als Asset behandelt."
            )
            raw_type = "asset"
        href = (res_el.get("href") or "").strip()
        files = [
            join_base(res_base, f.get("href", "").strip())
            for f in children(res_el, "file")
            if f.get("href", "").strip()
        ]
        deps = [
            d.get("identifierref", "").strip()
            for d in children(res_el, "dependency")
            if d.get("identifierref", "").strip()
        ]
        resources[identifier] = Resource(
            identifier=identifier,
            type=(res_el.get("type") or "").strip(),
            scorm_type=raw_type,
            href=join_base(res_base, href) if href else None,
            base=res_base,
            files=files,
            dependencies=deps,
        )
    return resources


def _claim(identifier: str, ids: set[str]) -> None:
    """Record an identifier, refusing it if the manifest already used it."""
    if identifier in ids:
        raise ManifestError(
            "duplicate_identifier",
            f"Die Kennung »{identifier}« kommt im Manifest mehrfach vor.",
        )
    ids.add(identifier)


def _parse_organizations(
    manifest_el: etree._Element, ids: set[str]
) -> tuple[list[Organization], str | None]:
    """Read <organizations> and return the organizations and the declared default."""
    orgs_el = child(manifest_el, "organizations")
    if orgs_el is None:
        return [], None
    collections = {}
    collection_el = child(manifest_el, "sequencingCollection")
    if collection_el is not None:
        for seq in children(collection_el, "sequencing"):
            if seq.get("ID"):
                collections[seq.get("ID")] = seq
    organizations = []
    for org_el in children(orgs_el, "organization"):
        identifier = (org_el.get("identifier") or "").strip()
        if not identifier:
            raise ManifestError(
                "organization_without_identifier",
                "Eine Organisation im Manifest hat keine Kennung (identifier).",
            )
        _claim(identifier, ids)
        title = text_of(child(org_el, "title")) or identifier
        items = parse_items(org_el, ids, collections, _claim)
        organizations.append(
            Organization(
                identifier,
                title,
                items,
                sequencing=merge_sequencing(sequencing_parts(org_el, collections)),
                objectives_global_to_system=parse_bool(
                    attr_by_local(org_el, "objectivesGlobalToSystem"), True
                ),
                shared_data_global_to_system=parse_bool(
                    attr_by_local(org_el, "sharedDataGlobalToSystem"), True
                ),
            )
        )
    default = (orgs_el.get("default") or "").strip() or None
    return organizations, default


def _check_references(manifest: Manifest, sub_ids: set[str]) -> None:
    """Check that items point at existing resources and launchable resources have an href."""
    for res in manifest.resources.values():
        if res.is_sco and not res.href:
            raise ManifestError(
                "missing_launch_url",
                f"Die SCO-Ressource »{res.identifier}« hat keine Startdatei (href).",
            )
    for org in manifest.organizations:
        for item, _depth in org.walk():
            ref = item.identifierref
            if not ref:
                if not item.children:
                    manifest.warnings.append(
                        f"Der Eintrag »{item.title}« hat weder Inhalt noch Untereinträge."
                    )
                continue
            if ref in sub_ids and ref not in manifest.resources:
                manifest.warnings.append(
                    f"Der Eintrag »{item.title}« verweist auf ein Teilmanifest "
                    f"»{ref}«; Teilmanifeste werden nicht unterstützt."
                )
                item.identifierref = None
                continue
            resource = manifest.resources.get(ref)
            if resource is None:
                raise ManifestError(
                    "missing_resource",
                    f"Der Eintrag »{item.title}« verweist auf die Ressource »{ref}«, "
                    f"die im Manifest fehlt.",
                )
            if not resource.href:
                raise ManifestError(
                    "missing_launch_url",
                    f"Der Eintrag »{item.title}« verweist auf die Ressource »{ref}«, "
                    f"die keine Startdatei (href) hat.",
                )
    for res in manifest.resources.values():
        for dep in res.dependencies:
            if dep not in manifest.resources:
                manifest.warnings.append(
                    f"Die Ressource »{res.identifier}« hängt von »{dep}« ab, die im Manifest fehlt."
                )


def parse_manifest(data: bytes) -> Manifest:
    """Parse imsmanifest.xml bytes into a checked Manifest or raise ManifestError."""
    root = _load(data)
    metadata = child(root, "metadata")
    schema_version = text_of(child(metadata, "schemaversion")) if metadata is not None else None
    standard, edition = _standard(root, schema_version)
    ids: set[str] = set()
    identifier = (root.get("identifier") or "").strip()
    sub_ids = {(sub.get("identifier") or "").strip() for sub in children(root, "manifest")} - {""}
    warnings: list[str] = []
    base = join_base("", root.get(XML_BASE))
    organizations, default = _parse_organizations(root, ids)
    resources = _parse_resources(root, base, ids, warnings)
    if not organizations:
        raise ManifestError(
            "no_organizations",
            "Das Manifest enthält keine Organisation (keine Gliederung des Kurses).",
        )
    if default is None:
        default = organizations[0].identifier
        warnings.append("Das Manifest nennt keine Standard-Organisation; die erste wird genutzt.")
    elif default not in {org.identifier for org in organizations}:
        raise ManifestError(
            "default_organization_missing",
            f"Die Standard-Organisation »{default}« fehlt im Manifest.",
        )
    default_org = next(org for org in organizations if org.identifier == default)
    manifest = Manifest(
        identifier=identifier,
        standard=standard,
        edition=edition,
        schema_version=schema_version,
        title=default_org.title,
        default_organization=default,
        organizations=organizations,
        resources=resources,
        warnings=warnings,
    )
    _check_references(manifest, sub_ids)
    if not manifest.launchable():
        raise ManifestError(
            "nothing_to_launch",
            "Die Standard-Organisation enthält keinen startbaren Eintrag.",
        )
    return manifest
