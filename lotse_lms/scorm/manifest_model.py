"""Plain dataclasses describing a parsed imsmanifest.xml (SCORM 1.2 and 2004).

The parser lives in :mod:`lotse_lms.scorm.manifest`; these classes hold no XML and can be
pickled, compared and stored as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Resource:
    """A <resource>: its launch href and file hrefs are already resolved against xml:base."""

    identifier: str
    type: str
    scorm_type: str  # "sco" or "asset"
    href: str | None
    base: str = ""
    files: list[str] = field(default_factory=list)
    dependencies: list[str] = field(default_factory=list)

    @property
    def is_sco(self) -> bool:
        """True if the resource is a SCO (talks to the run-time API)."""
        return self.scorm_type == "sco"

    @property
    def is_external(self) -> bool:
        """True if the href is an absolute URL outside the package (e.g. https://...)."""
        return bool(self.href) and bool(urlsplit(self.href).scheme)


@dataclass
class Item:
    """An <item> of an organization, with the launch settings SCORM attaches to it."""

    identifier: str
    title: str
    identifierref: str | None = None
    parameters: str | None = None
    is_visible: bool = True
    children: list[Item] = field(default_factory=list)
    # SCORM 1.2: adlcp:masteryscore, 0..100
    mastery_score: float | None = None
    prerequisites: str | None = None
    # both: adlcp:datafromlms / adlcp:dataFromLMS -> cmi.launch_data
    data_from_lms: str | None = None
    # both: adlcp:timelimitaction / adlcp:timeLimitAction
    time_limit_action: str | None = None
    # SCORM 1.2: adlcp:maxtimeallowed (HH:MM:SS); 2004: attemptAbsoluteDurationLimit (ISO 8601)
    max_time_allowed: str | None = None
    # SCORM 2004: adlcp:completionThreshold (minProgressMeasure or the 3rd edition text value)
    completion_threshold: float | None = None
    completed_by_measure: bool = False
    # SCORM 2004: imsss:minNormalizedMeasure of a primary objective with satisfiedByMeasure
    scaled_passing_score: float | None = None
    # SCORM 2004: the item's imsss:sequencing merged with the collection entry it references,
    # as read by lotse_lms.scorm.sequencing.xmlparse (None when the item has none)
    sequencing: dict | None = None
    # SCORM 2004: adlnav:presentation/navigationInterface/hideLMSUI values
    hide_lms_ui: list[str] = field(default_factory=list)
    # SCORM 2004 4th edition: adlcp:completionThreshold/@progressWeight
    progress_weight: float = 1.0

    def launch_settings(self) -> dict[str, object]:
        """Return the run-time settings this item hands to its SCO, keyed like the
        LMS settings of :mod:`lotse_lms.scorm.datamodel` (absent values left out)."""
        settings = {
            "launch_data": self.data_from_lms,
            "mastery_score": self.mastery_score,
            "max_time_allowed": self.max_time_allowed,
            "time_limit_action": self.time_limit_action,
            "completion_threshold": self.completion_threshold,
            "scaled_passing_score": self.scaled_passing_score,
        }
        return {key: value for key, value in settings.items() if value is not None}

    def walk(self, depth: int = 0) -> Iterator[tuple[Item, int]]:
        """Yield this item and all descendants in document order with their depth."""
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass
class Organization:
    """An <organization>: one tree of items (one way to structure the course)."""

    identifier: str
    title: str
    items: list[Item] = field(default_factory=list)
    # SCORM 2004: the organization's own imsss:sequencing (the root activity), merged like
    # an item's; adlseq:objectivesGlobalToSystem and adlcp:sharedDataGlobalToSystem
    sequencing: dict | None = None
    objectives_global_to_system: bool = True
    shared_data_global_to_system: bool = True

    def walk(self) -> Iterator[tuple[Item, int]]:
        """Yield every item in document order with its depth (top-level items have depth 0)."""
        for item in self.items:
            yield from item.walk(0)


@dataclass(frozen=True)
class TocEntry:
    """One line of a table of contents: an item, its depth, its resource and launch URL."""

    item: Item
    depth: int
    resource: Resource | None
    launch_url: str | None

    @property
    def is_sco(self) -> bool:
        """True if the entry launches a SCO."""
        return self.resource is not None and self.resource.is_sco


def join_parameters(href: str, parameters: str | None) -> str:
    """Append item parameters to a launch href following the SCORM CAM rules.

    Leading "?" and "&" are dropped; a parameter beginning with "#" is a fragment that is
    only added when the href has none; otherwise the query is joined with "&" if the href
    already has a query and with "?" if not.
    """
    if not parameters:
        return href
    params = parameters.strip().lstrip("?&")
    if not params:
        return href
    if params.startswith("#"):
        return href if "#" in href else href + params
    fragment = ""
    if "#" in href:
        href, fragment = href.split("#", 1)
        fragment = "#" + fragment
    joiner = "&" if "?" in href else "?"
    if href.endswith(("?", "&")):
        joiner = ""
    return f"{href}{joiner}{params}{fragment}"


@dataclass
class Manifest:
    """A parsed and cross-checked imsmanifest.xml."""

    identifier: str
    standard: str  # "1.2" or "2004"
    edition: str  # "1.2", "2004 2nd Edition", "2004 3rd Edition", "2004 4th Edition", "2004"
    schema_version: str | None
    title: str
    default_organization: str
    organizations: list[Organization]
    resources: dict[str, Resource]
    warnings: list[str] = field(default_factory=list)

    def organization(self, identifier: str | None = None) -> Organization:
        """Return the organization with that identifier, or the default organization."""
        wanted = identifier or self.default_organization
        for org in self.organizations:
            if org.identifier == wanted:
                return org
        raise KeyError(wanted)

    def resource_for(self, item: Item) -> Resource | None:
        """Return the resource an item launches, or None for an aggregation item."""
        if not item.identifierref:
            return None
        return self.resources.get(item.identifierref)

    def launch_url(self, item: Item) -> str | None:
        """Return the package-relative launch URL of an item (href plus parameters)."""
        resource = self.resource_for(item)
        if resource is None or not resource.href:
            return None
        return join_parameters(resource.href, item.parameters)

    def toc(self, organization: str | None = None) -> list[TocEntry]:
        """Return every item of an organization flattened in document order with depth."""
        entries = []
        for item, depth in self.organization(organization).walk():
            resource = self.resource_for(item)
            entries.append(TocEntry(item, depth, resource, self.launch_url(item)))
        return entries

    def launchable(self, organization: str | None = None) -> list[TocEntry]:
        """Return the entries that launch something (a SCO or an asset), in order."""
        return [entry for entry in self.toc(organization) if entry.launch_url is not None]

    def scos(self, organization: str | None = None) -> list[TocEntry]:
        """Return the entries that launch a SCO, flattened in document order with depth."""
        return [entry for entry in self.launchable(organization) if entry.is_sco]

    def launch_resources(self) -> list[Resource]:
        """Return the resources referenced by any item of any organization."""
        seen: dict[str, Resource] = {}
        for org in self.organizations:
            for item, _depth in org.walk():
                resource = self.resource_for(item)
                if resource is not None:
                    seen.setdefault(resource.identifier, resource)
        return list(seen.values())
