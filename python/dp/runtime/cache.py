"""The on-disk compile cache: object files of compiled specializations, found again by key.

Where: `config.directory`, read once from the environment at import:
`$DP_CACHE_DIR` if set (`off`, `0`, `false`, `no` or `none` turn the cache
off), else `$XDG_CACHE_HOME/dp-mlir`, else `~/.cache/dp-mlir`. Change it in
process with `configure(directory)` (None turns the cache off) or
`config.reload()` after changing the environment.

Layout: `<directory>/mac-key` (32 random bytes, the user's secret) and
`<directory>/v2/<key[:2]>/<key>.o` (a relocatable ELF object with a packed
wrapper `_mlir_<entry>` per entry) with `<key>.meta` (a line with the entry's
HMAC-SHA256 in hex, then the metadata in JSON: the entry names and how to
rebuild results).

The key (see dp.runtime.fingerprint) hashes the function's source and
everything its code may read (callees, globals, closure cells, defaults,
module and class attributes), the call signature, the options (which
entries, argnums, mode), and the environment: the cache format, dp's version
and a stamp of its installed files, the MLIR wheel's version, the Python
version, the host CPU and features; and LLVM's optimization level.

The cache holds machine code that dp runs, so it is private and
authenticated. Folders dp creates are 0700 and files 0600, whatever the
umask. The MAC covers the key, the metadata and the object, under the
secret in `mac-key`, made on first use; a key file that is not the user's
own regular file, or that others may read, is replaced (entries made with
it are rebuilt), and if it cannot be, the cache is off for the process
(`config.disabled` says why). A reader trusts an entry only when both
files are the user's own and not writable by others, the MAC matches, the
object passes an ELF sanity check (LLVM aborts the process on some broken
objects) and the metadata parses; anything else is counted in
`stats.rejected` (`stats.last_rejected` says why), and the entry is rebuilt
and overwritten. Writes go to a temporary file in the same folder, then
`os.replace`: a reader never sees a partial file.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import json
import os
import secrets
import stat
import struct
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, Mapping

from dp.frontend import pytree
from dp.frontend.pytree import NodeKind, TreeDef
from dp.runtime.fingerprint import Fingerprint, Uncacheable

FORMAT = 2
ENVIRONMENT_VARIABLE = "DP_CACHE_DIR"
_OFF = {"off", "0", "false", "no", "none"}
KEY_FILE = "mac-key"
KEY_SIZE = 32


@dataclasses.dataclass
class CacheConfig:
    """Where the on-disk cache lives; `directory` None means off."""

    directory: Path | None
    disabled: str = ""  # why dp turned the cache off in this process ("" if it did not)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> "CacheConfig":
        return cls(_directory_from(os.environ if environ is None else environ))

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    def reload(self, environ: Mapping[str, str] | None = None) -> None:
        """Reads the environment again."""
        self.directory = _directory_from(os.environ if environ is None else environ)
        self.disabled = ""

    def disable(self, reason: str) -> None:
        """Turns the cache off for the rest of the process, saying why (here and as a RuntimeWarning)."""
        self.directory = None
        self.disabled = reason
        warnings.warn(f"dp's compile cache is off: {reason}", RuntimeWarning, stacklevel=2)


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
    config.disabled = ""


@dataclasses.dataclass
class Stats:
    """What the cache did in this process (for tests and benchmarks)."""

    hits: int = 0
    misses: int = 0
    stores: int = 0
    rejected: int = 0  # entries found but not trusted (foreign, writable by others, forged, corrupt)
    last_rejected: str = ""  # why the last one was not trusted
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
    if kind is NodeKind.COMPLEX:
        return ["complex", treedef.data, children]
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
    if tag == "complex":
        return TreeDef(NodeKind.COMPLEX, str(data[1]), tuple(decode_treedef(child, fingerprint) for child in data[2]))
    if tag == "dict":
        keys = tuple(_decode_constant(key, fingerprint) for key in data[1])
        return TreeDef(NodeKind.DICT, keys, tuple(decode_treedef(child, fingerprint) for child in data[2]))
    if tag in ("namedtuple", "dataclass", "object"):
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


# -- private files and the secret key ----------------------------------------------------------


class UntrustedFile(Exception):
    """A cache file that dp may not trust: not the user's own, open to others, forged or damaged."""


_GROUP_OR_WORLD_WRITE = 0o022
_GROUP_OR_WORLD_ANY = 0o077
# Never follow a symlink (it could point anywhere); never block opening a FIFO.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _read_private(path: Path, forbidden: int) -> bytes:
    """The contents of a regular file that this user owns and on which others have no `forbidden` bits."""
    descriptor = os.open(path, _OPEN_FLAGS)
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(descriptor)  # the file read, not whatever the name points to by now
        if not stat.S_ISREG(info.st_mode):
            raise UntrustedFile(f"{path} is not a regular file")
        if info.st_uid != os.geteuid():
            raise UntrustedFile(f"{path} belongs to another user (uid {info.st_uid})")
        if info.st_mode & forbidden:
            raise UntrustedFile(f"{path} has mode {stat.S_IMODE(info.st_mode):04o}")
        return file.read()


def _make_directories(path: Path) -> None:
    """Makes `path` and its missing parents, each 0700 whatever the umask: the cache is the user's alone."""
    if path.is_dir():
        return
    _make_directories(path.parent)
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:  # made meanwhile by another process (or not a folder: writing in it fails)
        return
    os.chmod(path, 0o700)  # mkdir's mode is masked by the umask


def _write_atomically(path: Path, data: bytes, replace: bool = True) -> None:
    """Writes a 0600 file through a temporary one in its folder, so that no reader sees it partial.

    With `replace` False, raises FileExistsError instead of replacing an existing file.
    """
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            os.fchmod(descriptor, 0o600)  # mkstemp's 0600 is masked by the umask
            file.write(data)
        (os.replace if replace else os.link)(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    if not replace:
        os.unlink(temporary)  # the data is under its own name now


_secrets: dict[Path, bytes] = {}


def _secret(directory: Path) -> bytes | None:
    """The user's MAC key for the cache in `directory`, read or made once per process; None: the cache is off."""
    secret = _secrets.get(directory)
    if secret is None:
        try:
            secret = _secrets[directory] = _read_or_make_secret(directory)
        except (OSError, UntrustedFile) as error:
            config.disable(f"it could not write a trustworthy key in {directory}: {error}")
            return None
    return secret


def _read_or_make_secret(directory: Path) -> bytes:
    """The key in `directory`, made on first use; one that is not trustworthy is replaced, with a warning."""
    path = directory / KEY_FILE
    problem: str | None = None  # why the key there cannot be used; None when there is none
    try:
        secret = _read_private(path, _GROUP_OR_WORLD_ANY)  # others must not even read it
        if len(secret) == KEY_SIZE:
            return secret
        problem = f"{path} does not hold a {KEY_SIZE}-byte key"
    except FileNotFoundError:
        pass
    except (OSError, UntrustedFile) as error:
        problem = str(error)
    secret = secrets.token_bytes(KEY_SIZE)
    _make_directories(directory)
    if problem is None:
        try:
            _write_atomically(path, secret, replace=False)
        except FileExistsError:  # another process made one first: use it
            return _read_or_make_secret(directory)
        return secret
    try:
        _write_atomically(path, secret)
    except OSError as error:
        raise UntrustedFile(f"{problem}, and replacing it failed: {error}") from error
    warnings.warn(
        f"dp replaced its compile cache key: {problem}; entries made with the old key will be rebuilt",
        RuntimeWarning,
        stacklevel=2,
    )
    return secret


def _mac(secret: bytes, key: str, metadata: bytes, object_file: bytes) -> bytes:
    """The HMAC-SHA256 (hex) of an entry: its key, metadata and object, the first two framed by length."""
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    for part in (key.encode(), metadata):
        mac.update(len(part).to_bytes(8, "little"))
        mac.update(part)
    mac.update(object_file)
    return mac.hexdigest().encode()


# -- a sanity check of object files ------------------------------------------------------------

_ET_REL = 1
_SHT_NOBITS = 8
_SECTION = "IIQQQQIIQQ"  # an ELF64 section header: sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, ...
_SECTION_SIZE = 64


@functools.cache
def _host_elf_header() -> bytes:
    """The start of the ELF header of dp's own extension: compiled objects must have its class, byte order, machine."""
    from dp import _native

    with open(_native.__file__, "rb") as file:
        return file.read(20)


def _check_object(object_file: bytes) -> None:
    """Raises UntrustedFile unless `object_file` is a relocatable ELF64 object for this machine whose
    section headers, sections and section names lie within it (LLVM's ELF reader aborts on some that do not)."""
    host = _host_elf_header()
    if len(object_file) < 64 or object_file[:4] != b"\x7fELF" or object_file[4] != 2:
        raise UntrustedFile("the object is not an ELF64 file")
    if object_file[4:7] != host[4:7] or object_file[18:20] != host[18:20]:
        raise UntrustedFile("the object is for another machine")
    order = "<" if object_file[5] == 1 else ">"
    (kind,) = struct.unpack_from(order + "H", object_file, 16)
    (table,) = struct.unpack_from(order + "Q", object_file, 40)
    entry_size, count, names = struct.unpack_from(order + "HHH", object_file, 58)
    if kind != _ET_REL or entry_size != _SECTION_SIZE or not 0 < names < count:
        raise UntrustedFile("the object is not a relocatable file with a section name table")
    if table + count * entry_size > len(object_file):
        raise UntrustedFile("the object's section header table is not within the file")
    sections = list(struct.iter_unpack(order + _SECTION, object_file[table : table + count * entry_size]))
    names_size = sections[names][5]
    for name, section_type, _, _, offset, size, *_ in sections:
        if (section_type != _SHT_NOBITS and offset + size > len(object_file)) or name >= names_size:
            raise UntrustedFile("a section of the object, or its name, is not within the file")


# -- reading and writing entries ---------------------------------------------------------------


def _paths(directory: Path, key: str) -> tuple[Path, Path]:
    folder = directory / f"v{FORMAT}" / key[:2]
    return folder / f"{key}.o", folder / f"{key}.meta"


def reject(reason: str) -> None:
    """Counts an entry found but not trusted (it is rebuilt and overwritten), and says why."""
    stats.rejected += 1
    stats.last_rejected = reason


def load(key: str) -> tuple[bytes, dict[str, Any]] | None:
    """The object file and metadata body of the entry dp wrote for `key`, or None (a miss)."""
    directory = config.directory
    secret = _secret(directory) if directory is not None else None
    if secret is None:
        return None
    object_path, meta_path = _paths(directory, key)
    try:
        meta = _read_private(meta_path, _GROUP_OR_WORLD_WRITE)  # what others can write, dp does not run
        object_file = _read_private(object_path, _GROUP_OR_WORLD_WRITE)
        mac, _, metadata = meta.partition(b"\n")
        if not hmac.compare_digest(mac, _mac(secret, key, metadata, object_file)):
            raise UntrustedFile("its MAC does not match: dp did not write it for this key")
        _check_object(object_file)
        body = json.loads(metadata)
        if not isinstance(body, dict):
            raise UntrustedFile("its metadata is not a JSON object")
        return object_file, body
    except FileNotFoundError as error:
        if error.filename == str(meta_path):
            return None  # no entry: a plain miss
        reject(f"{key}: {error}")
    except Exception as error:  # whatever is wrong with an entry, it is rebuilt, never trusted nor raised
        reject(f"{key}: {type(error).__name__}: {error}")
    return None


def store(key: str, object_file: bytes, body: dict[str, Any]) -> bool:
    """Writes an entry (object first, metadata last, each atomically); False if it could not."""
    directory = config.directory
    secret = _secret(directory) if directory is not None else None
    if secret is None:
        return False
    metadata = json.dumps(dict(body, created=time.time()), sort_keys=True, indent=1).encode()
    meta = _mac(secret, key, metadata, object_file) + b"\n" + metadata
    object_path, meta_path = _paths(directory, key)
    try:
        _make_directories(object_path.parent)
        _write_atomically(object_path, object_file)
        _write_atomically(meta_path, meta)
    except OSError as error:
        _warn_once(f"dp could not write its compile cache in {directory}: {error}")
        return False
    stats.stores += 1
    return True


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
    "KEY_FILE",
    "Stats",
    "UntrustedFile",
    "clear",
    "config",
    "configure",
    "decode_treedef",
    "encode_treedef",
    "environment",
    "load",
    "reject",
    "stats",
    "store",
]
