"""Q1 verbs: import and update packages, launch SCOs, store commits, recompute results.

The rules live in packages.py (import), tracking.py (launch), commits.py (run-time commits)
and progress.py (results); this module is the one other areas and the tests import from.
"""

from .commits import CommitRefused, commit_attempt
from .errors import Q1Error
from .packages import (
    Q1_TITLES,
    catalogue,
    find_package,
    import_package,
    package_by_module,
    storage_root,
    update_package,
    version_root,
    versions_of,
)
from .progress import (
    compute,
    module_titles,
    q1_module_passed,
    q1_progress,
    recompute_result,
    registrations_of,
)
from .reports import learner_report, package_report
from .tracking import Launch, launch_item, registration_for

__all__ = [
    "Q1_TITLES",
    "CommitRefused",
    "Launch",
    "Q1Error",
    "catalogue",
    "commit_attempt",
    "compute",
    "find_package",
    "import_package",
    "launch_item",
    "learner_report",
    "module_titles",
    "package_by_module",
    "package_report",
    "q1_module_passed",
    "q1_progress",
    "registration_for",
    "registrations_of",
    "recompute_result",
    "storage_root",
    "update_package",
    "version_root",
    "versions_of",
]
