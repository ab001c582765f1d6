"""Workbench runtime for the XBlock tests: Django settings, a throw-away database, helpers.

Blocks are loaded from XML through xblock-sdk's WorkbenchRuntime (the same runtime as the
workbench server), handlers are called with real webob requests through runtime.handle, and
runtime.publish is captured per runtime.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # lotse_xblock_settings and lotse_xblock_helpers
os.environ["DJANGO_SETTINGS_MODULE"] = "lotse_xblock_settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", run_syncdb=True, verbosity=0)

from django.utils import translation  # noqa: E402
from lotse_xblock_helpers import (  # noqa: E402
    BLOCKS,
    FakeEntryPoint,
    Workbench,
    clear_plugin_cache,
    registered_entry_points,
)
from xblock.core import XBlock  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _temporary_folder():
    """Remove the temporary database folder after the run."""
    yield
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    if not settings.KEEP_TMP:
        shutil.rmtree(settings.TEST_DIR, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _blocks_loadable():
    """Make the blocks loadable by tag even before setup.cfg declares the entry points.

    test_packaging.py fails in that case, so a missing declaration is still reported.
    """
    missing = [name for name in BLOCKS if name not in registered_entry_points()]
    added = []
    for name in missing:
        entry = FakeEntryPoint(name, BLOCKS[name])
        XBlock.extra_entry_points.append((name, entry))
        added.append((name, entry))
    clear_plugin_cache()
    yield
    for item in added:
        XBlock.extra_entry_points.remove(item)
    clear_plugin_cache()


@pytest.fixture
def bench():
    """A learner's workbench runtime."""
    return Workbench("student-1")


@pytest.fixture
def german():
    """Render in German (the workbench's own default language is en-us)."""
    with translation.override("de"):
        yield


@pytest.fixture
def english():
    """Render in English."""
    with translation.override("en"):
        yield
