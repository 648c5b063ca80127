"""Atomic file output: a temporary file in the same folder, then a rename."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator, Union

__all__ = ["atomic_path", "write_text_atomic", "replace_dir"]


@contextlib.contextmanager
def atomic_path(path: Union[str, Path]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` if the block succeeds.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("完整")
    >>> target.read_text()
    '完整'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = None
    try:  # an interrupt at any point below leaves no temporary file behind
        fd, name = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp",
                                    dir=path.parent)
        tmp = Path(name)
        os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def write_text_atomic(path: Union[str, Path], text: str) -> Path:
    """Write a text file (UTF-8) atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def replace_dir(new: Union[str, Path], path: Union[str, Path]) -> Path:
    """Put the folder ``new`` in the place of ``path`` (two renames; the old one is removed).

    Readers see the old folder or the new one, never a mix; a crash between the two
    renames leaves the old folder under a hidden ``.partial`` name and no ``path``,
    which the next build cleans up.
    """
    import shutil

    new, path = Path(new), Path(path)
    old = None
    if path.exists():
        old = path.with_name(".%s.%d.old.partial" % (path.name, os.getpid()))
        shutil.rmtree(old, ignore_errors=True)
        os.rename(path, old)
    os.rename(new, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return path
