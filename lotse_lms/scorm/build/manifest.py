"""imsmanifest.xml for a module: SCORM 1.2 and SCORM 2004 4th Edition.

One organization; one item per page (introduction, each lesson, the knowledge check), each
pointing at its own SCO resource; one asset resource holding the shared CSS/JS and the
images, which every SCO references through a dependency.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .model import Module
from .schemas import SCHEMA_SETS

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS12 = {
    None: "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "xsi": XSI,
}
NS2004 = {
    None: "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
    "xsi": XSI,
}
SHARED_ID = "res-shared"


@dataclass
class Sco:
    """One SCO of the package: item and resource identifiers, title, launch file."""

    key: str  # "intro", a lesson stem, or "check"
    title: str
    href: str
    is_check: bool = False

    @property
    def item_id(self) -> str:
        """The item identifier (an XML ID: starts with a letter)."""
        return f"item-{self.key}"

    @property
    def resource_id(self) -> str:
        """The resource identifier."""
        return f"res-{self.key}"


class _Writer:
    """Builds elements in one namespace map."""

    def __init__(self, nsmap: dict):
        """Remember the namespace map."""
        self.nsmap = nsmap

    def q(self, name: str) -> str:
        """Qualify "prefix:local" or "local" (default namespace)."""
        prefix, _, local = name.rpartition(":")
        return f"{{{self.nsmap[prefix or None]}}}{local}"

    def el(self, parent, name: str, text: str | None = None, **attrs) -> etree._Element:
        """Append a child element with attributes ("prefix__local" keys become prefix:local)."""
        node = (
            etree.SubElement(parent, self.q(name))
            if parent is not None
            else etree.Element(self.q(name), nsmap=self.nsmap)
        )
        for key, value in attrs.items():
            node.set(self.q(key.replace("__", ":")) if "__" in key else key, str(value))
        if text is not None:
            node.text = text
        return node


def _root(w: _Writer, module: Module, standard: str) -> etree._Element:
    """The manifest element with identifier, schema locations and metadata."""
    suffix = "scorm12" if standard == "1.2" else "scorm2004"
    root = w.el(None, "manifest", identifier=f"om-lotse-q1-{module.id}-{suffix}", version="1.0")
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_SETS[standard].schema_location())
    metadata = w.el(root, "metadata")
    w.el(metadata, "schema", "ADL SCORM")
    w.el(metadata, "schemaversion", "1.2" if standard == "1.2" else "2004 4th Edition")
    return root


def _resources(w: _Writer, root, scos: list[Sco], shared: list[str], scorm_attr: str) -> None:
    """The SCO resources (each with its page and a dependency on the shared asset) and the asset."""
    resources = w.el(root, "resources")
    for sco in scos:
        res = w.el(
            resources,
            "resource",
            identifier=sco.resource_id,
            type="webcontent",
            href=sco.href,
            **{f"adlcp__{scorm_attr}": "sco"},
        )
        w.el(res, "file", href=sco.href)
        w.el(res, "dependency", identifierref=SHARED_ID)
    asset = w.el(
        resources,
        "resource",
        identifier=SHARED_ID,
        type="webcontent",
        **{f"adlcp__{scorm_attr}": "asset"},
    )
    for name in shared:
        w.el(asset, "file", href=name)


def manifest_12(module: Module, scos: list[Sco], shared: list[str]) -> etree._Element:
    """The SCORM 1.2 manifest; the check's item carries adlcp:masteryscore = passing score."""
    w = _Writer(NS12)
    root = _root(w, module, "1.2")
    orgs = w.el(root, "organizations", default=f"org-{module.id}")
    org = w.el(orgs, "organization", identifier=f"org-{module.id}")
    w.el(org, "title", module.title)
    for sco in scos:
        item = w.el(
            org, "item", identifier=sco.item_id, identifierref=sco.resource_id, isvisible="true"
        )
        w.el(item, "title", sco.title)
        if sco.is_check:
            w.el(item, "adlcp:masteryscore", str(module.check.passing_score))
    _resources(w, root, scos, shared, "scormtype")
    return root


def _measure(passing_score: int) -> str:
    """The passing score as a normalized measure (0.8 for 80)."""
    return f"{passing_score / 100:.4f}".rstrip("0").rstrip(".") if passing_score < 100 else "1.0"


def manifest_2004(module: Module, scos: list[Sco], shared: list[str]) -> etree._Element:
    """The SCORM 2004 4th Edition manifest with simple sequencing.

    Flow and choice navigation are on. Lessons count for completion only (they are left out
    of the satisfaction and measure rollup); the knowledge check's primary objective is
    satisfied by measure against the passing score, so the module is passed when it is.
    """
    w = _Writer(NS2004)
    root = _root(w, module, "2004")
    orgs = w.el(root, "organizations", default=f"org-{module.id}")
    org = w.el(orgs, "organization", identifier=f"org-{module.id}")
    w.el(org, "title", module.title)
    for sco in scos:
        item = w.el(
            org, "item", identifier=sco.item_id, identifierref=sco.resource_id, isvisible="true"
        )
        w.el(item, "title", sco.title)
        seq = w.el(item, "imsss:sequencing")
        if sco.is_check:
            objectives = w.el(seq, "imsss:objectives")
            primary = w.el(
                objectives,
                "imsss:primaryObjective",
                objectiveID=f"obj-{module.id}-wissenscheck",
                satisfiedByMeasure="true",
            )
            w.el(primary, "imsss:minNormalizedMeasure", _measure(module.check.passing_score))
            w.el(
                seq,
                "imsss:deliveryControls",
                completionSetByContent="true",
                objectiveSetByContent="true",
            )
        else:
            w.el(
                seq,
                "imsss:rollupRules",
                rollupObjectiveSatisfied="false",
                objectiveMeasureWeight="0",
            )
            w.el(seq, "imsss:deliveryControls", completionSetByContent="true")
    org_seq = w.el(org, "imsss:sequencing")
    w.el(org_seq, "imsss:controlMode", choice="true", flow="true")
    _resources(w, root, scos, shared, "scormType")
    return root


def manifest_bytes(module: Module, standard: str, scos: list[Sco], shared: list[str]) -> bytes:
    """The serialized manifest (UTF-8, with XML declaration, indented)."""
    root = (manifest_12 if standard == "1.2" else manifest_2004)(module, scos, shared)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
