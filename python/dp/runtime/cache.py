"""The on-disk compile cache: object files of compiled specializations, found again by key.

Where: `config.directory`, read once from the environment at import:
`$DP_CACHE_DIR` if set (`off`, `0`, `false`, `no` or `none` turn the cache
off), else `$XDG_CACHE_HOME/dp-mlir`, else `~/.cache/dp-mlir`. Change it in
process with `configure(directory)` (None turns the cache off) or
`config.reload()` after changing the environment.

Layout: `<directory>/v1/<key[:2]>/<key>.o` (a relocatable ELF object with a
packed wrapper `_mlir_<entry>` per entry) and `<key>.json` (metadata: the
entry names, the object's size and SHA-256, how to rebuild results, and a
SHA-256 of the metadata itself).

The key (see dp.runtime.fingerprint) hashes the function's source and
everything its code may read (callees, globals, closure cells, defaults,
module and class attributes), the call signature, the options (which
entries, argnums, mode), and the environment: the cache format, dp's version
and a stamp of its installed files, the MLIR wheel's version, the Python
version, the host CPU and features; and LLVM's optimization level.

Writes go to a temporary file in the same directory, then `os.replace`: a
reader never sees a partial file. A reader trusts an entry only when the
metadata parses, its own checksum matches, it names the expected key, and
the object's size and SHA-256 match; anything else is a miss, and the
entry is rebuilt and overwritten. The cache holds machine code that dp
loads and runs: it is as trusted as the user's home directory (like
`__pycache__`), never a place for files from elsewhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, Mapping

from dp.frontend import pytree
from dp.frontend.pytree import NodeKind, TreeDef
from dp.runtime.fingerprint import Fingerprint, Uncacheable

FORMAT = 1
ENVIRONMENT_VARIABLE = "DP_CACHE_DIR"
_OFF = {"off", "0", "false", "no", "none"}


@dataclasses.dataclass
class CacheConfig:
    """Where the on-disk cache lives; `directory` None means off."""

    directory: Path | None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> "CacheConfig":
        return cls(_directory_from(os.environ if environ is None else environ))

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    def reload(self, environ: Mapping[str, str] | None = None) -> None:
        """Reads the environment again."""
        self.directory = _directory_from(os.environ if environ is None else environ)


def _directory_from(environ: Mapping[str, str]) -> Path | None:
    value = environ.get(ENVIRONMENT_VARIABLE)
    if value is not None and value.strip():
        if value.strip().lower() in _OFF:
            return None
        return Path(value).expanduser().absolute()
    base = environ.get("XDG_CACHE_HOME")
    if base and os.path.isabs(base):
        return Path(base) / "dp-mlir"
    return Path.home() / ".cache" / "dp-mlir"


config = CacheConfig.from_environment()


def configure(directory: str | os.PathLike | None) -> None:
    """Puts the cache in `directory`; None (or "off") turns it off."""
    if directory is None or (isinstance(directory, str) and directory.strip().lower() in _OFF):
        config.directory = None
    else:
        config.directory = Path(directory).expanduser().absolute()


@dataclasses.dataclass
class Stats:
    """What the cache did in this process (for tests and benchmarks)."""

    hits: int = 0
    misses: int = 0
    stores: int = 0
    rejected: int = 0  # entries found but not trusted (corrupt, mismatching)
    uncacheable: int = 0
    last_reason: str = ""  # why the last specialization was not cached on disk

    def reset(self) -> None:
        for field in dataclasses.fields(self):
            setattr(self, field.name, field.default)


stats = Stats()


# -- the environment part of every key ---------------------------------------------------------

_environment: str | None = None


def environment() -> str:
    """Everything outside the user's code that compiled code depends on (computed once)."""
    global _environment
    if _environment is None:
        from dp import _native

        dp_module = sys.modules.get("dp")
        parts = {
            "format": FORMAT,
            "dp": getattr(dp_module, "__version__", "unknown"),
            "dp files": _installation_stamp(),
            "mlir": mlir_wheel_version(),
            "python": sys.version,
            "target": _native.host_target(),
        }
        _environment = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return _environment


MLIR_DISTRIBUTION = "xtc-mlir-python-bindings"


def mlir_wheel_version() -> str:
    """The version of the MLIR Python bindings wheel (importlib.metadata's answer).

    Looks for the wheel's .dist-info next to the `mlir` package first:
    importing importlib.metadata alone takes tens of milliseconds.
    """
    import mlir

    prefix = MLIR_DISTRIBUTION.replace("-", "_") + "-"
    for location in getattr(mlir, "__path__", []):
        site = os.path.dirname(os.path.abspath(location))
        try:
            names = [n for n in os.listdir(site) if n.startswith(prefix) and n.endswith(".dist-info")]
        except OSError:
            continue
        if len(names) == 1:
            return names[0][len(prefix) : -len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version(MLIR_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def _installation_stamp() -> str:
    """Name, size and modification time of every file of the installed dp package.

    A rebuilt or reinstalled dp (a compiler change without a version bump)
    invalidates every entry.
    """
    root = Path(__file__).resolve().parent.parent
    entries = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".so")):
                path = os.path.join(directory, name)
                info = os.stat(path)
                entries.append((os.path.relpath(path, root), info.st_size, info.st_mtime_ns))
    return hashlib.sha256(repr(entries).encode()).hexdigest()


# -- result structures in metadata -------------------------------------------------------------


def encode_treedef(treedef: TreeDef, fingerprint: Fingerprint) -> Any:
    """A JSON form of a result TreeDef; classes by their token in `fingerprint`.

    Raises Uncacheable for what JSON cannot carry faithfully; the caller checks
    that decoding gives back an equal TreeDef.
    """
    kind = treedef.kind
    if kind is NodeKind.LEAF:
        return ["leaf", treedef.data.__name__]
    if kind is NodeKind.STATIC:
        return ["static", _encode_constant(treedef.static_value, fingerprint)]
    children = [encode_treedef(child, fingerprint) for child in treedef.children]
    if kind in (NodeKind.TUPLE, NodeKind.LIST):
        return [kind.value, children]
    if kind is NodeKind.DICT:
        return ["dict", [_encode_constant(key, fingerprint) for key in treedef.data], children]
    cls, fields = treedef.data
    token = fingerprint.token(cls)
    if token is None:
        raise Uncacheable(f"the result's class {cls.__qualname__} is not reachable from the function")
    return [kind.value, token, list(fields), children]


def decode_treedef(data: Any, fingerprint: Fingerprint) -> TreeDef:
    """The TreeDef of `encode_treedef`'s output; raises ValueError when it does not decode."""
    tag = data[0]
    if tag == "leaf":
        return pytree.leaf_from_name(data[1])  # floats, ints, bools and arrays (ndarray[dtype, shape])
    if tag == "static":
        return pytree.static(_decode_constant(data[1], fingerprint))
    if tag in ("tuple", "list"):
        children = tuple(decode_treedef(child, fingerprint) for child in data[1])
        return TreeDef(NodeKind(tag), None, children)
    if tag == "dict":
        keys = tuple(_decode_constant(key, fingerprint) for key in data[1])
        return TreeDef(NodeKind.DICT, keys, tuple(decode_treedef(child, fingerprint) for child in data[2]))
    if tag in ("namedtuple", "dataclass"):
        cls = fingerprint.classes.get(data[1])
        if cls is None:
            raise ValueError(f"unknown class {data[1]}")
        children = tuple(decode_treedef(child, fingerprint) for child in data[3])
        return TreeDef(NodeKind(tag), (cls, tuple(data[2])), children)
    raise ValueError(f"unknown TreeDef tag {tag!r}")


def _encode_constant(value: Any, fingerprint: Fingerprint) -> Any:
    cls = type(value)
    if value is None:
        return ["none"]
    if cls is bool:
        return ["bool", value]
    if cls is int:
        return ["int", str(value)]
    if cls is float:
        return ["float", value.hex()]
    if cls is str:
        return ["str", value]
    if cls is bytes:
        return ["bytes", value.hex()]
    if isinstance(value, type) and fingerprint.token(value) is not None:
        return ["class", fingerprint.token(value)]
    raise Uncacheable(f"the result holds a compile-time {cls.__qualname__}")


def _decode_constant(data: Any, fingerprint: Fingerprint) -> Any:
    tag = data[0]
    if tag == "none":
        return None
    if tag == "bool":
        return bool(data[1])
    if tag == "int":
        return int(data[1])
    if tag == "float":
        return float.fromhex(data[1])
    if tag == "str":
        return str(data[1])
    if tag == "bytes":
        return bytes.fromhex(data[1])
    if tag == "class" and data[1] in fingerprint.classes:
        return fingerprint.classes[data[1]]
    raise ValueError(f"cannot decode the constant {data!r}")


# -- reading and writing entries ---------------------------------------------------------------


def _paths(directory: Path, key: str) -> tuple[Path, Path]:
    folder = directory / f"v{FORMAT}" / key[:2]
    return folder / f"{key}.o", folder / f"{key}.json"


def _body_digest(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def load(key: str) -> tuple[bytes, dict[str, Any]] | None:
    """The object file and metadata body of a trusted entry, or None (a miss)."""
    directory = config.directory
    if directory is None:
        return None
    object_path, meta_path = _paths(directory, key)
    try:
        with open(meta_path, "rb") as file:
            meta = json.loads(file.read())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        stats.rejected += 1
        return None
    try:
        body = meta["body"]
        trusted = (
            isinstance(body, dict)
            and meta.get("sha256") == _body_digest(body)
            and body.get("format") == FORMAT
            and body.get("key") == key
        )
    except (TypeError, KeyError, AttributeError):
        trusted = False
    if not trusted:
        stats.rejected += 1
        return None
    try:
        with open(object_path, "rb") as file:
            object_file = file.read()
    except OSError:
        stats.rejected += 1
        return None
    if len(object_file) != body.get("object_size") or hashlib.sha256(object_file).hexdigest() != body.get(
        "object_sha256"
    ):
        stats.rejected += 1
        return None
    return object_file, body


def store(key: str, object_file: bytes, body: dict[str, Any]) -> bool:
    """Writes an entry (object first, metadata last, each atomically); False if it could not."""
    directory = config.directory
    if directory is None:
        return False
    body = dict(
        body,
        format=FORMAT,
        key=key,
        object_size=len(object_file),
        object_sha256=hashlib.sha256(object_file).hexdigest(),
        created=time.time(),
    )
    meta = json.dumps({"body": body, "sha256": _body_digest(body)}, sort_keys=True, indent=1).encode()
    object_path, meta_path = _paths(directory, key)
    try:
        object_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(object_path, object_file)
        _write_atomically(meta_path, meta)
    except OSError as error:
        _warn_once(f"dp could not write its compile cache in {directory}: {error}")
        return False
    stats.stores += 1
    return True


def _write_atomically(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


_warned = False


def _warn_once(message: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(message, RuntimeWarning, stacklevel=3)


def clear() -> None:
    """Deletes every entry of the cache directory (the current format's)."""
    import shutil

    if config.directory is not None:
        shutil.rmtree(config.directory / f"v{FORMAT}", ignore_errors=True)


__all__ = [
    "CacheConfig",
    "ENVIRONMENT_VARIABLE",
    "FORMAT",
    "Stats",
    "clear",
    "config",
    "configure",
    "decode_treedef",
    "encode_treedef",
    "environment",
    "load",
    "stats",
    "store",
]
