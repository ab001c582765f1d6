"""Registration, package layout and import boundaries of the XBlocks."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from lotse_xblock_helpers import BLOCKS, registered_entry_points
from xblock.core import XBlock

import lotse_lms
from lotse_lms.xblocks import LotseModuleBlock, LotseReflectionBlock, i18n, q1

PACKAGE = Path(lotse_lms.__file__).resolve().parent
XBLOCKS = PACKAGE / "xblocks"


def _imports(path: Path) -> set[str]:
    """Top-level names of every module a Python file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_blocks_are_registered_as_xblock_v1_entry_points():
    found = registered_entry_points()
    assert found == {
        "lotse_module": "lotse_lms.xblocks:LotseModuleBlock",
        "lotse_reflection": "lotse_lms.xblocks:LotseReflectionBlock",
    }, (
        "setup.cfg [options.entry_points] needs xblock.v1 = lotse_module / lotse_reflection (reinstall after adding)"
    )


def test_blocks_load_by_tag():
    assert XBlock.load_class("lotse_module") is LotseModuleBlock
    assert XBlock.load_class("lotse_reflection") is LotseReflectionBlock
    assert set(BLOCKS) == {"lotse_module", "lotse_reflection"}


def test_xblocks_package_does_not_import_flask():
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(
            _imports(p) & {"flask", "flask_sqlalchemy", "flask_babel", "werkzeug"}
        )
        for p in XBLOCKS.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_scorm_build_modules_used_by_the_blocks_do_not_import_flask():
    offenders = {
        str(p.relative_to(PACKAGE)): sorted(
            _imports(p) & {"flask", "flask_sqlalchemy", "flask_babel"}
        )
        for p in (PACKAGE / "scorm").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_nothing_outside_the_xblocks_package_imports_xblock():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if XBLOCKS not in p.parents
        and _imports(p) & {"xblock", "web_fragments", "workbench", "django"}
    ]
    assert offenders == []


def test_q1_content_is_reachable_from_the_package():
    root = q1.content_dir()
    assert root.is_dir()
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == [
        "01-tools-methoden",
        "02-technik",
        "03-megatrends",
    ]
    assert [m["value"] for m in q1.module_choices()] == ["tools-methoden", "technik", "megatrends"]


def test_static_files_and_catalogue_are_in_the_package():
    for name in (
        "html/module.html",
        "html/module_author.html",
        "html/reflection.html",
        "html/reflection_author.html",
        "html/error.html",
        "css/lotse_xblocks.css",
        "js/module.js",
        "js/reflection.js",
    ):
        assert (XBLOCKS / "static" / name).is_file(), name
    assert (i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "text.mo").is_file()
    assert i18n.catalogue("en").gettext("Antworten prüfen") == "Check answers"
    assert i18n.catalogue("de").gettext("Antworten prüfen") == "Antworten prüfen"
    assert i18n.catalogue(None).gettext("Antworten prüfen") == "Antworten prüfen"


def test_english_catalogue_is_complete():
    from babel.messages.pofile import read_po

    if not (i18n.LOCALE_DIR / "text.pot").is_file():
        pytest.skip("text.pot is a source file, not shipped in the wheel")
    with open(i18n.LOCALE_DIR / "text.pot", "rb") as pot_file:
        pot = read_po(pot_file)
    with open(i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "text.po", "rb") as po_file:
        po = read_po(po_file, locale="en")
    missing = [
        m.id
        for m in pot
        if m.id
        and not (
            po.get(m.id)
            and all(po.get(m.id).string if isinstance(m.id, tuple) else [po.get(m.id).string])
        )
    ]
    assert missing == []


def test_importing_the_blocks_does_not_load_flask():
    code = "import sys, lotse_lms.xblocks; sys.exit(1 if 'flask' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0  # noqa: S603
