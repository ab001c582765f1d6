"""Import time of a 50 MB SCORM package: validate, extract atomically, record in the database.

A package of incompressible 1 MB media files and 2,000 small HTML pages (a 50 MB zip) is generated in a temporary directory, then imported N times through
``lotse_lms.modules.q1.packages.import_package`` (SQLite in the temporary directory).
The baseline, measured in the same run, is a plain ``zipfile.extractall`` of the same file
without any checks. Prints seconds, MB/s and the ratio. Stops by itself; nothing is kept.

    python bench/bench_scorm_import.py [-n 3] [--megabytes 50]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_package(path: Path, megabytes: int) -> int:
    """Write a valid SCORM 1.2 package of about ``megabytes`` MB; return its file count."""
    media = max(1, megabytes - 1)
    pages = 2000
    names = [f"media/clip{i:03d}.mp4" for i in range(media)] + [
        f"pages/p{i:04d}.html" for i in range(pages)
    ]
    files_xml = "".join(f'<file href="{n}"/>' for n in ["index.html"] + names)
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bench.big" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Groß</title>
    <item identifier="item" identifierref="res"><title>Lektion</title></item>
  </organization></organizations>
  <resources><resource identifier="res" type="webcontent" adlcp:scormtype="sco" href="index.html">
    {files_xml}</resource></resources>
</manifest>""".encode()
    page_size = 2048
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", manifest)
        zf.writestr("index.html", b"<!doctype html><title>Start</title>")
        for name in names:
            if name.startswith("media/"):
                zf.writestr(name, os.urandom(1024 * 1024), compress_type=zipfile.ZIP_STORED)
            else:
                zf.writestr(
                    name, (b"<p>Inhalt " + name.encode() + b"</p>\n") * (page_size // 40 + 1)
                )
    return len(names) + 2


def main():
    """Generate the package, import it N times, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3)
    parser.add_argument("--megabytes", type=int, default=50)
    args = parser.parse_args()
    from lotse_lms import create_app
    from lotse_lms.extensions import db
    from lotse_lms.modules.q1.packages import import_package

    work = Path(tempfile.mkdtemp(prefix="lotse-bench-import-"))
    try:
        zip_path = work / "gross.zip"
        files = make_package(zip_path, args.megabytes)
        size_mb = zip_path.stat().st_size / 1024 / 1024
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
                "DATA_DIR": str(work / "data"),
                "SECRET_KEY": "bench",
            },
            instance_path=work / "instance",
            environ={},
        )
        imports, baselines = [], []
        with app.app_context():
            db.create_all()
            for run in range(args.n):
                start = time.perf_counter()
                with zipfile.ZipFile(zip_path) as zf:
                    zf.extractall(work / f"plain{run}")
                baselines.append(time.perf_counter() - start)
                start = time.perf_counter()
                version = import_package(zip_path, title=f"Groß {run}")
                imports.append(time.perf_counter() - start)
                assert version.files == files
                shutil.rmtree(work / f"plain{run}")
            db.engine.dispose()
        imp, base = statistics.median(imports), statistics.median(baselines)
        print(f"SCORM import of a {size_mb:.1f} MB package ({files} files), median of {args.n}:")
        print(f"  import_package   {imp:6.2f} s  {size_mb / imp:7.1f} MB/s")
        print(
            f"  plain extractall {base:6.2f} s  {size_mb / base:7.1f} MB/s (baseline, no checks, no DB)"
        )
        print(f"  ratio import/baseline time {imp / base:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
