"""Django settings for the XBlock tests: the workbench's, with a throw-away database and no log file.

The workbench's own settings write var/workbench.db and var/workbench.log relative to the
working directory; the tests keep everything in a temporary folder instead.
"""

import os
import tempfile
from pathlib import Path

from workbench.settings import *  # noqa: F403 - the workbench's settings are the base

# A folder given in LOTSE_XBLOCK_TEST_DIR is kept; a temporary one is removed after the run.
KEEP_TMP = bool(os.environ.get("LOTSE_XBLOCK_TEST_DIR"))
_TMP = Path(
    os.environ.get("LOTSE_XBLOCK_TEST_DIR") or tempfile.mkdtemp(prefix="lotse-xblock-tests-")
)
TEST_DIR = str(_TMP)

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(_TMP / "workbench.db")}
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
DJFS = {"type": "osfs", "directory_root": str(_TMP / "djfs"), "url_root": "/static/djpyfs"}
# German is the blocks' default language (the workbench's own default is en-us).
LANGUAGE_CODE = "de"
