"""Read the files of a ``.7z`` archive with the Python standard library only.

INSEE's national Filosofi ZIPs may hold a nested ``.7z`` (docs/data-sources.md §4.1). GDAL
reads 7z (``/vsi7z/``) only from 3.7 and only when built with libarchive: not the GDAL of
QGIS 3.22. Python's own ``lzma``, ``bz2`` and ``zlib`` modules decode the methods 7-Zip uses
for data files (LZMA2 by default, LZMA, BZip2, Deflate, Copy), and they ship with the Python of
every QGIS; this module parses the 7z container around them (format: 7-Zip's 7zFormat.txt):
signature header, (encoded) header, pack streams, folders, solid blocks of several files.

Filters for executables (BCJ...), encryption and multi-coder folders are refused with a clear
error. Every extracted file is checked against its CRC32; output is streamed to disk.
"""

from __future__ import annotations

import bz2
import io
import lzma
import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Dict, List, Optional

from .errors import DataError
from .i18n import tr

SIGNATURE = b"7z\xbc\xaf\x27\x1c"
OUT_CHUNK = 16 * 1024**2

# Property ids (7zFormat.txt).
K_END, K_HEADER, K_ARCHIVE_PROPERTIES, K_ADDITIONAL_STREAMS = 0x00, 0x01, 0x02, 0x03
K_MAIN_STREAMS, K_FILES_INFO, K_PACK_INFO, K_UNPACK_INFO = 0x04, 0x05, 0x06, 0x07
K_SUBSTREAMS, K_SIZE, K_CRC, K_FOLDER = 0x08, 0x09, 0x0A, 0x0B
K_UNPACK_SIZE, K_NUM_UNPACK_STREAM, K_EMPTY_STREAM, K_EMPTY_FILE = 0x0C, 0x0D, 0x0E, 0x0F
K_NAME, K_ENCODED_HEADER, K_DUMMY = 0x11, 0x17, 0x19

METHOD_COPY, METHOD_LZMA, METHOD_LZMA2 = b"\x00", b"\x03\x01\x01", b"\x21"
METHOD_BZIP2, METHOD_DEFLATE = b"\x04\x02\x02", b"\x04\x01\x08"


def _error(path, detail: str) -> DataError:
    return DataError(
        tr("{path}: the 7z archive cannot be read ({detail}).").format(path=path, detail=detail)
    )


@dataclass
class Folder:
    """A solid block: one coder, one packed stream, one or more files."""

    method: bytes = b""
    properties: bytes = b""
    unpack_size: int = 0
    crc: Optional[int] = None
    pack_offset: int = 0  # absolute offset in the archive
    pack_size: int = 0
    substream_sizes: List[int] = field(default_factory=list)
    substream_crcs: List[Optional[int]] = field(default_factory=list)


@dataclass
class Member:
    name: str
    size: int
    crc: Optional[int]
    folder: int  # -1: empty file or directory
    index_in_folder: int = 0
    is_dir: bool = False


class _Reader:
    """A byte buffer with the 7z number encoding."""

    def __init__(self, data: bytes, where):
        self.data, self.pos, self.where = data, 0, where

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise _error(self.where, "header ends early")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise _error(self.where, "header ends early")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def number(self) -> int:
        first = self.byte()
        mask, value = 0x80, 0
        for i in range(8):
            if first & mask == 0:
                return value | ((first & (mask - 1)) << (8 * i))
            value |= self.byte() << (8 * i)
            mask >>= 1
        return value

    def uint32(self) -> int:
        return struct.unpack("<I", self.take(4))[0]

    def bits(self, n: int) -> List[bool]:
        out, mask, current = [], 0, 0
        for _ in range(n):
            if mask == 0:
                current, mask = self.byte(), 0x80
            out.append(bool(current & mask))
            mask >>= 1
        return out

    def defined_bits(self, n: int) -> List[bool]:
        """An "all defined" byte, else a bit vector."""
        return [True] * n if self.byte() else self.bits(n)

    def digests(self, n: int) -> List[Optional[int]]:
        defined = self.defined_bits(n)
        return [self.uint32() if d else None for d in defined]

    def expect(self, prop: int) -> None:
        if self.byte() != prop:
            raise _error(self.where, f"unexpected header property (0x{prop:02x} expected)")


class SevenZip:
    """The members of one archive; :meth:`extract` writes one of them to a file."""

    def __init__(self, path):
        self.path = Path(path)
        self.folders: List[Folder] = []
        self.members: List[Member] = []
        with open(self.path, "rb") as handle:
            header = self._header_bytes(handle)
        self._parse_header(_Reader(header, self.path.name))

    # -- headers ------------------------------------------------------------------------------
    def _header_bytes(self, handle: BinaryIO) -> bytes:
        start = handle.read(32)
        if len(start) < 32 or start[:6] != SIGNATURE:
            raise _error(self.path.name, "not a 7z file")
        if zlib.crc32(start[12:32]) != struct.unpack("<I", start[8:12])[0]:
            raise _error(self.path.name, "corrupt start header")
        offset, size, crc = struct.unpack("<QQI", start[12:32])
        handle.seek(32 + offset)
        data = handle.read(size)
        if len(data) != size or zlib.crc32(data) != crc:
            raise _error(self.path.name, "truncated or corrupt header")
        while data[:1] == bytes([K_ENCODED_HEADER]):
            reader = _Reader(data, self.path.name)
            reader.byte()
            folders = self._streams_info(reader)
            if len(folders) != 1:
                raise _error(self.path.name, "encoded header in several blocks")
            out = io.BytesIO()
            self._decode(handle, folders[0], [(folders[0].unpack_size, out)])
            data = out.getvalue()
        return data

    def _parse_header(self, reader: _Reader) -> None:
        reader.expect(K_HEADER)
        prop = reader.byte()
        if prop == K_ARCHIVE_PROPERTIES:
            while reader.byte() != K_END:
                reader.take(reader.number())
            prop = reader.byte()
        if prop == K_ADDITIONAL_STREAMS:
            self._streams_info(reader)
            prop = reader.byte()
        if prop == K_MAIN_STREAMS:
            self.folders = self._streams_info(reader)
            prop = reader.byte()
        if prop == K_FILES_INFO:
            self._files_info(reader)
            prop = reader.byte()
        if prop != K_END:
            raise _error(self.path.name, "unexpected header content")

    def _streams_info(self, reader: _Reader) -> List[Folder]:
        pack_pos, pack_sizes, folders = 0, [], []
        prop = reader.byte()
        if prop == K_PACK_INFO:
            pack_pos, pack_sizes = self._pack_info(reader)
            prop = reader.byte()
        if prop == K_UNPACK_INFO:
            folders = self._unpack_info(reader)
            prop = reader.byte()
        for folder in folders:
            folder.substream_sizes = [folder.unpack_size]
            folder.substream_crcs = [folder.crc]
        if prop == K_SUBSTREAMS:
            self._substreams_info(reader, folders)
            prop = reader.byte()
        if prop != K_END:
            raise _error(self.path.name, "unexpected streams content")
        if len(pack_sizes) != len(folders):
            raise _error(self.path.name, "one packed stream per block expected")
        offset = 32 + pack_pos
        for folder, size in zip(folders, pack_sizes):
            folder.pack_offset, folder.pack_size = offset, size
            offset += size
        return folders

    def _pack_info(self, reader: _Reader):
        pack_pos = reader.number()
        count = reader.number()
        sizes = [0] * count
        prop = reader.byte()
        while prop != K_END:
            if prop == K_SIZE:
                sizes = [reader.number() for _ in range(count)]
            elif prop == K_CRC:
                reader.digests(count)
            else:
                raise _error(self.path.name, "unexpected pack info")
            prop = reader.byte()
        return pack_pos, sizes

    def _unpack_info(self, reader: _Reader) -> List[Folder]:
        reader.expect(K_FOLDER)
        folders = [Folder() for _ in range(reader.number())]
        if reader.byte() != 0:
            raise _error(self.path.name, "external folders")
        for folder in folders:
            self._folder(reader, folder)
        reader.expect(K_UNPACK_SIZE)
        for folder in folders:
            folder.unpack_size = reader.number()
        prop = reader.byte()
        if prop == K_CRC:
            for folder, crc in zip(folders, reader.digests(len(folders))):
                folder.crc = crc
            prop = reader.byte()
        if prop != K_END:
            raise _error(self.path.name, "unexpected unpack info")
        return folders

    def _folder(self, reader: _Reader, folder: Folder) -> None:
        if reader.number() != 1:
            raise _error(self.path.name, "several coders in a block (filter or encryption)")
        flags = reader.byte()
        folder.method = reader.take(flags & 0x0F)
        if flags & 0x10:
            raise _error(self.path.name, "complex coder")
        if flags & 0x20:
            folder.properties = reader.take(reader.number())

    def _substreams_info(self, reader: _Reader, folders: List[Folder]) -> None:
        counts = [1] * len(folders)
        prop = reader.byte()
        if prop == K_NUM_UNPACK_STREAM:
            counts = [reader.number() for _ in folders]
            prop = reader.byte()
        for folder, count in zip(folders, counts):
            if prop == K_SIZE:
                sizes = [reader.number() for _ in range(count - 1)] if count else []
            else:
                sizes = []
            if count:
                sizes.append(folder.unpack_size - sum(sizes))
            folder.substream_sizes = sizes
            folder.substream_crcs = [None] * count
        if prop == K_SIZE:
            prop = reader.byte()
        unknown = [
            (folder, n)
            for folder, count in zip(folders, counts)
            for n in range(count)
            if not (count == 1 and folder.crc is not None)
        ]
        for folder, count in zip(folders, counts):
            if count == 1 and folder.crc is not None:
                folder.substream_crcs = [folder.crc]
        if prop == K_CRC:
            for (folder, n), crc in zip(unknown, reader.digests(len(unknown))):
                folder.substream_crcs[n] = crc
            prop = reader.byte()
        if prop != K_END:
            raise _error(self.path.name, "unexpected substreams info")

    def _files_info(self, reader: _Reader) -> None:
        count = reader.number()
        empty_stream = [False] * count
        empty_file: List[bool] = []
        names: List[str] = []
        while True:
            prop = reader.byte()
            if prop == K_END:
                break
            data = _Reader(reader.take(reader.number()), self.path.name)
            if prop == K_EMPTY_STREAM:
                empty_stream = data.bits(count)
            elif prop == K_EMPTY_FILE:
                empty_file = data.bits(sum(empty_stream))
            elif prop == K_NAME:
                if data.byte() != 0:
                    raise _error(self.path.name, "external names")
                names = data.data[1:].decode("utf-16-le").split("\x00")[:count]
        self.members = self._members(count, names, empty_stream, empty_file)

    def _members(self, count, names, empty_stream, empty_file) -> List[Member]:
        members, folder, index, n_empty = [], 0, 0, 0
        for i in range(count):
            name = names[i] if i < len(names) else f"file{i}"
            if empty_stream[i]:
                is_file = n_empty < len(empty_file) and empty_file[n_empty]
                n_empty += 1
                members.append(Member(name, 0, None, -1, is_dir=not is_file))
                continue
            while folder < len(self.folders) and index >= len(self.folders[folder].substream_sizes):
                folder, index = folder + 1, 0
            if folder >= len(self.folders):
                raise _error(self.path.name, "more files than streams")
            block = self.folders[folder]
            members.append(
                Member(
                    name, block.substream_sizes[index], block.substream_crcs[index], folder, index
                )
            )
            index += 1
        return members

    # -- extraction ---------------------------------------------------------------------------
    def names(self) -> List[str]:
        return [m.name for m in self.members if not m.is_dir]

    def extract(self, name: str, target, check_cancel: Optional[Callable[[], None]] = None):
        """Write member ``name`` to ``target`` (a path); its CRC32 is checked."""
        member = next((m for m in self.members if m.name == name and not m.is_dir), None)
        if member is None:
            raise _error(self.path.name, f"no member {name}")
        target = Path(target)
        with open(target, "wb") as out:
            if member.folder < 0:
                return target
            folder = self.folders[member.folder]
            sinks = [
                (size, out if n == member.index_in_folder else None)
                for n, size in enumerate(folder.substream_sizes[: member.index_in_folder + 1])
            ]
            with open(self.path, "rb") as handle:
                crcs = self._decode(handle, folder, sinks, check_cancel)
        if member.crc is not None and crcs[member.index_in_folder] != member.crc:
            os.unlink(target)
            raise _error(self.path.name, f"CRC error in {name}")
        return target

    def _decode(self, handle, folder: Folder, sinks, check_cancel=None) -> List[int]:
        """Decode ``folder``'s stream into ``sinks`` [(size, file or None)] in order; returns
        the CRC32 of each sink's bytes."""
        handle.seek(folder.pack_offset)
        decoder = _decoder(folder, self.path.name)
        remaining_in = folder.pack_size
        pending = b""
        crcs = []
        for size, sink in sinks:
            crc, left = 0, size
            while left > 0:
                if check_cancel is not None:
                    check_cancel()
                if not pending:
                    if decoder.needs_input and remaining_in <= 0:
                        raise _error(self.path.name, "truncated data")
                    chunk = handle.read(min(1 << 20, remaining_in)) if decoder.needs_input else b""
                    remaining_in -= len(chunk)
                    try:
                        pending = decoder.decompress(chunk, OUT_CHUNK)
                    except (lzma.LZMAError, OSError, EOFError, zlib.error, ValueError):
                        raise _error(self.path.name, "corrupt data") from None
                    if not pending and not chunk and decoder.needs_input:
                        raise _error(self.path.name, "truncated data")
                piece, pending = pending[:left], pending[left:]
                crc = zlib.crc32(piece, crc)
                if sink is not None:
                    sink.write(piece)
                left -= len(piece)
            crcs.append(crc)
        return crcs


class _Copy:
    needs_input = True

    def decompress(self, data: bytes, max_length: int = -1) -> bytes:
        return data


class _Deflate:
    """zlib's raw inflate with the interface of ``lzma.LZMADecompressor``."""

    def __init__(self):
        self._inflate = zlib.decompressobj(-15)
        self.needs_input = True

    def decompress(self, data: bytes, max_length: int = -1) -> bytes:
        source = self._inflate.unconsumed_tail + data
        out = self._inflate.decompress(source, max(0, max_length))
        self.needs_input = not self._inflate.unconsumed_tail
        return out


def _lzma_filters(method: bytes, props: bytes) -> List[Dict]:
    if method == METHOD_LZMA2:
        code = props[0] if props else 0
        dict_size = 0xFFFFFFFF if code >= 40 else (2 | (code & 1)) << (code // 2 + 11)
        return [{"id": lzma.FILTER_LZMA2, "dict_size": dict_size}]
    d = props[0]
    lc, d = d % 9, d // 9
    lp, pb = d % 5, d // 5
    dict_size = struct.unpack("<I", props[1:5])[0]
    return [{"id": lzma.FILTER_LZMA1, "lc": lc, "lp": lp, "pb": pb, "dict_size": dict_size}]


def _decoder(folder: Folder, where):
    if folder.method in (METHOD_LZMA, METHOD_LZMA2):
        filters = _lzma_filters(folder.method, folder.properties)
        return lzma.LZMADecompressor(format=lzma.FORMAT_RAW, filters=filters)
    if folder.method == METHOD_BZIP2:
        return bz2.BZ2Decompressor()
    if folder.method == METHOD_DEFLATE:
        return _Deflate()
    if folder.method == METHOD_COPY:
        return _Copy()
    raise _error(where, f"compression method {folder.method.hex()} not supported")
