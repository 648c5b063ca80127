"""Atomic file output: a temporary file in the same folder, then a rename."""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar, Union

T = TypeVar("T")

__all__ = ["atomic_path", "write_text_atomic", "replace_dir", "derived", "writing"]


@contextlib.contextmanager
def writing(path: Union[str, Path]) -> Iterator[None]:
    """Turn an :class:`OSError` of the block into an :class:`~kg.errors.OutputError` naming
    ``path``: an output that cannot be written (no permission, a folder or a file in the
    way) is a one-line message, not a traceback.

    Wrap only what writes the output: an error reading an input has its own message.

    >>> import tempfile, pathlib
    >>> folder = tempfile.mkdtemp()
    >>> with writing(folder):
    ...     open(folder, "w")
    Traceback (most recent call last):
    kg.errors.OutputError: cannot write ... (it is a folder); choose another output path (-o)
    """
    from .errors import KGError

    try:
        yield
    except KGError:
        raise  # (an OutputError of an inner block, already named)
    except OSError as exc:
        raise _output_error(path, exc) from None


# a full disk, a quota, a file-size limit: errors only writing can meet
_FULL = {getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG") if hasattr(errno, name)}


def _output_error(path, exc: OSError):
    from .errors import OutputError

    if isinstance(exc, IsADirectoryError):
        reason = "it is a folder"
    elif isinstance(exc, (FileExistsError, NotADirectoryError)):
        reason = "a file is in the way"  # (a folder was to be made where a file is)
    else:
        reason = exc.strerror or str(exc)
    message = "cannot write %s (%s); choose another output path (-o)" % (path, reason)
    # an OSError too, with the errno of the failure: callers that caught OSError still do
    return OutputError(exc.errno, message) if exc.errno is not None else OutputError(message)


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
    tmp = None
    try:  # an interrupt at any point below leaves no temporary file behind
        with writing(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp",
                                        dir=path.parent)
            tmp = Path(name)
            os.close(fd)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        try:
            yield tmp
        except OSError as exc:  # the block's own errors are its own (it may read, too), but
            if exc.errno in _FULL:  # a full disk can only be this output's
                raise _output_error(path, exc) from None
            raise
        with writing(path):
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


def derived(name: str, sources: Iterable[Union[str, Path]], make: Callable[[], T]) -> T:
    """``make()``, kept in :func:`kg.resources.cache_dir` while ``sources`` are unchanged.

    For data the package derives from its own files (the ontology and gazetteer graphs):
    the key is a hash of ``sources`` (the files the value is made from, this package's code
    among them), of the Python version and of pyoxigraph's. A cache that cannot be found,
    read or written is ignored and the value made again: it costs time, never a failure.
    The cache is read with :mod:`pickle`: point ``$HUAIHAI_KG_CACHE`` only at a folder no
    one else can write to.

    >>> import tempfile, os, pathlib
    >>> before = os.environ.get("HUAIHAI_KG_CACHE")
    >>> os.environ["HUAIHAI_KG_CACHE"] = tempfile.mkdtemp()
    >>> src = pathlib.Path(tempfile.mkdtemp()) / "source.txt"
    >>> _ = src.write_text("1")
    >>> derived("demo", [src], lambda: ["made"])
    ['made']
    >>> derived("demo", [src], lambda: ["made again"])  # unchanged sources: from the cache
    ['made']
    >>> _ = src.write_text("2")
    >>> derived("demo", [src], lambda: ["made again"])
    ['made again']
    >>> if before is None:
    ...     del os.environ["HUAIHAI_KG_CACHE"]
    ... else:
    ...     os.environ["HUAIHAI_KG_CACHE"] = before
    """
    import hashlib
    import pickle
    import sys

    from .resources import cache_dir

    try:
        import pyoxigraph

        h = hashlib.sha256(("%s %s" % (sys.version, pyoxigraph.__version__)).encode())
        for source in sources:
            source = Path(source)
            h.update(source.name.encode() + b"\x1f")
            h.update(source.read_bytes() if source.is_file() else b"")
        path = cache_dir() / ("%s-%s.pickle" % (name, h.hexdigest()[:20]))
    except Exception:  # noqa: BLE001  (no home folder, unreadable source: no cache)
        return make()
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # noqa: BLE001  (missing, unreadable or from another version: remake)
        pass
    value = make()
    try:
        with atomic_path(path) as tmp:
            with open(tmp, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        # keep the few most recent (two checkouts may share the cache), drop older ones
        older = sorted(path.parent.glob(name + "-*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in older[:-4]:
            old.unlink(missing_ok=True)
    except OSError:  # (OutputError, which atomic_path raises, is one too)
        pass
    return value
