"""Q1 tables: SCORM packages and their versions, learners' registrations and SCO attempts."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.timeutil import UTCDateTime, utcnow
from ...extensions import db

#: The lifecycle states of a package (lifecycle.py).
DRAFT, PUBLISHED, ARCHIVED = "draft", "published", "archived"


class ScormPackage(db.Model):
    """A course in the catalogue; its content comes in one or more imported versions."""

    __tablename__ = "q1_packages"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Title shown in the catalogue (the manifest's title unless the importer chose one).
    title: Mapped[str] = mapped_column(sa.String(200))
    #: The Q1 module this package is ("tools-methoden", ...), None for other courses.
    module_key: Mapped[str | None] = mapped_column(sa.String(60), unique=True)
    #: The version learners launch now; older versions keep their attempts.
    current_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey(
            "q1_package_versions.id", use_alter=True, name="fk_q1_packages_current_version"
        )
    )
    #: "draft" (staff only, preview), "published" or "archived" (lifecycle.py).
    status: Mapped[str] = mapped_column(sa.String(12), default=PUBLISHED, server_default=PUBLISHED)
    #: Who a published package is for: a key of lifecycle.AUDIENCES ("participants", "staff").
    audience: Mapped[str] = mapped_column(
        sa.String(20), default="participants", server_default="participants"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    current_version: Mapped["PackageVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True, lazy="joined"
    )
    #: The cohorts a package published for the audience "cohorts" is for.
    cohorts: Mapped[list["Cohort"]] = relationship(  # noqa: F821 (cohorts area)
        secondary="q1_package_cohorts", lazy="select", order_by="Cohort.name"
    )


#: Which cohorts a package with the audience "cohorts" is published for.
package_cohorts = sa.Table(
    "q1_package_cohorts",
    db.Model.metadata,
    sa.Column("package_id", sa.ForeignKey("q1_packages.id"), primary_key=True),
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id"), primary_key=True),
)


class PackageVersion(db.Model):
    """One imported zip of a package: where its files are and what its manifest says."""

    __tablename__ = "q1_package_versions"
    __table_args__ = (sa.UniqueConstraint("package_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(sa.ForeignKey("q1_packages.id"), index=True)
    #: 1 for the first import, then counting up with every update.
    number: Mapped[int] = mapped_column(default=1)
    #: Folder name below DATA_DIR/scorm/ holding the extracted files (a uuid4 hex).
    folder: Mapped[str] = mapped_column(sa.String(40), unique=True)
    #: "1.2" or "2004", and the edition text ("2004 3rd Edition", ...).
    standard: Mapped[str] = mapped_column(sa.String(8))
    edition: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    #: The manifest's identifier and title.
    identifier: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    manifest_title: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    #: Title of the default organization.
    organization_title: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    #: The default organization flattened: [{id, title, depth, launch, sco, visible, settings}].
    toc: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: Manifest warnings the engine reported (shown to trainers).
    warnings: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: SCORM 2004: the default organization's activity tree with its sequencing
    #: definitions (lotse_lms.scorm.sequencing.build_tree); None for 1.2 and for 2004
    #: versions imported before sequencing, which compute it on first use.
    activity_tree: Mapped[dict | None] = mapped_column(sa.JSON)
    #: sha256 of the imported zip, its extracted file count and bytes.
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    files: Mapped[int] = mapped_column(default=0, server_default="0")
    bytes: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    package: Mapped[ScormPackage] = relationship(foreign_keys=[package_id], lazy="joined")

    def entries(self):
        """The TOC entries that launch something (SCOs and assets), in order."""
        return [entry for entry in self.toc if entry.get("launch")]

    def entry(self, item_id):
        """Return the launchable TOC entry with this item identifier, or None."""
        return next((e for e in self.entries() if e["id"] == item_id), None)


class ScormRegistration(db.Model):
    """A learner's enrolment in one package version, with the rolled-up result."""

    __tablename__ = "q1_registrations"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "version_id"),
        # Covers the qualification filter's grouped pass over everyone's results: the table
        # rows carry the sequencing state (SQLite reads ~4 KB a row without it).
        sa.Index("ix_q1_registrations_result", "user_id", "version_id", "completed", "passed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("q1_package_versions.id"), index=True)
    #: Item identifier of the SCO launched last (the player resumes there).
    last_item: Mapped[str | None] = mapped_column(sa.String(255))
    #: Roll-up over the default organization's launchable items.
    completed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: True passed, False failed, None no criterion or not yet decided.
    passed: Mapped[bool | None] = mapped_column()
    #: Score in percent (0..100) of the scored SCO or the average of several.
    score: Mapped[float | None] = mapped_column(sa.Float)
    #: When the package was first completed / first passed (kept afterwards).
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    total_time_seconds: Mapped[float] = mapped_column(sa.Float, default=0.0, server_default="0")
    #: SCORM 2004: the sequencer's state (activity state tree, current and suspended
    #: activity); None until the learner's first navigation and for SCORM 1.2.
    sequencing: Mapped[dict | None] = mapped_column(sa.JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_accessed: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", lazy="joined")
    version: Mapped[PackageVersion] = relationship(lazy="joined")


class ScoAttempt(db.Model):
    """One attempt of a learner on one SCO (or asset) of a package version."""

    __tablename__ = "q1_sco_attempts"
    __table_args__ = (
        sa.UniqueConstraint("registration_id", "item_id", "attempt"),
        # The report's session counts read this index alone, never a row with its state.
        sa.Index(
            "ix_q1_sco_attempts_counts",
            "registration_id",
            "version_id",
            "item_id",
            "is_asset",
            "sessions",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("q1_registrations.id"), index=True)
    #: Redundant with the registration, so tokens and reports need no join.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("q1_package_versions.id"))
    #: The manifest item identifier.
    item_id: Mapped[str] = mapped_column(sa.String(255))
    #: 1, 2, ...: a new attempt starts after a normal exit of a completed attempt.
    attempt: Mapped[int] = mapped_column(default=1)
    #: True for an asset (no run-time API; completed once launched).
    is_asset: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: The data model state (lotse_lms.scorm.datamodel); None for assets.
    state: Mapped[dict | None] = mapped_column(sa.JSON)
    #: Highest commit sequence number accepted (stale commits are refused).
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Summary columns, refreshed on every accepted commit.
    completion: Mapped[str] = mapped_column(
        sa.String(20), default="not attempted", server_default="not attempted"
    )
    success: Mapped[str] = mapped_column(sa.String(10), default="unknown", server_default="unknown")
    score_raw: Mapped[float | None] = mapped_column(sa.Float)
    score_scaled: Mapped[float | None] = mapped_column(sa.Float)
    #: Score in percent: scaled × 100, else raw within min..max, else raw.
    score_percent: Mapped[float | None] = mapped_column(sa.Float)
    total_time_seconds: Mapped[float] = mapped_column(sa.Float, default=0.0, server_default="0")
    #: Launches of this attempt (the data model's session counter; an asset counts once),
    #: so reports count sessions without reading the state.
    sessions: Mapped[int] = mapped_column(default=1, server_default="1")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_accessed: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[ScormRegistration] = relationship(lazy="raise")


class GlobalObjective(db.Model):
    """A learner's global objective shared by every package (objectivesGlobalToSystem)."""

    __tablename__ = "q1_global_objectives"
    __table_args__ = (sa.UniqueConstraint("user_id", "objective_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The mapInfo targetObjectiveID of the manifests that share it.
    objective_id: Mapped[str] = mapped_column(sa.String(255))
    #: Satisfied status (None unknown), normalized measure, completion, progress measure.
    satisfied: Mapped[bool | None] = mapped_column()
    measure: Mapped[float | None] = mapped_column(sa.Float)
    completion: Mapped[str | None] = mapped_column(sa.String(20))
    progress: Mapped[float | None] = mapped_column(sa.Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
