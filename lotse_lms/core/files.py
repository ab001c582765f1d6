"""Private files: proofs, certificates and the SQLite database are readable by the LMS alone.

Files are created 0600 inside folders made 0700, whatever the process's umask, so other
accounts on the server cannot read personal data.
"""

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path):
    """Create ``path`` (and missing parents) and make it 0700; return it as a Path."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)
    return path


def write_private(path, data):
    """Write ``data`` to a new or replaced file that only the owner may read (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # an existing file keeps its mode on O_CREAT
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def touch_private(path):
    """Create an empty 0600 file unless it exists (SQLite then keeps that mode)."""
    path = Path(path)
    if not path.exists():
        if not path.parent.exists():
            private_dir(path.parent)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
