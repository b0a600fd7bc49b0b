"""Just enough of the OLE2 compound-file format (old .xls) to list streams and see whether a workbook is encrypted."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import BinaryIO

_MAX_REGULAR_SECTOR = 0xFFFFFFFA
_FILEPASS = 0x002F
_BIFF_EOF = 0x000A


class BrokenCompound(Exception):
    """The file is not a well-formed compound file."""


class Compound:
    """Just enough of the OLE2 compound-file format to list its streams and read a stream's first bytes."""

    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh = fh
        header = self._read(0, 512)
        shift, mini_shift = struct.unpack_from("<HH", header, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise BrokenCompound
        self.sector_size = 1 << shift
        self.sector_count = max(-(-size // self.sector_size) - 1, 0)
        self.per_sector = self.sector_size // 4
        (self.dir_start,) = struct.unpack_from("<I", header, 0x30)
        self.mini_cutoff, self.minifat_start = struct.unpack_from("<II", header, 0x38)
        difat_start, difat_count = struct.unpack_from("<II", header, 0x44)
        self.difat = list(struct.unpack_from("<109I", header, 0x4C))
        sector = difat_start
        for _ in range(min(difat_count, self.sector_count)):
            if sector > _MAX_REGULAR_SECTOR:
                break
            entries = struct.unpack(f"<{self.per_sector}I", self._sector(sector))
            self.difat.extend(entries[:-1])
            sector = entries[-1]
        self._fat: dict[int, tuple[int, ...]] = {}

    def _read(self, offset: int, length: int) -> bytes:
        self.fh.seek(offset)
        data = self.fh.read(length)
        if len(data) < length:
            raise BrokenCompound
        return data

    def _sector(self, number: int) -> bytes:
        if number >= self.sector_count:
            raise BrokenCompound
        self.fh.seek((number + 1) * self.sector_size)
        # Some writers do not pad the last sector.
        return self.fh.read(self.sector_size).ljust(self.sector_size, b"\0")

    def _next(self, sector: int) -> int:
        index = sector // self.per_sector
        if index >= len(self.difat) or self.difat[index] > _MAX_REGULAR_SECTOR:
            raise BrokenCompound
        if index not in self._fat:
            self._fat[index] = struct.unpack(f"<{self.per_sector}I", self._sector(self.difat[index]))
        return self._fat[index][sector % self.per_sector]

    def chain(self, start: int, limit: int | None = None) -> Iterator[int]:
        sector = start
        for _ in range(self.sector_count):
            if sector > _MAX_REGULAR_SECTOR or limit == 0:
                return
            yield sector
            sector = self._next(sector)
            if limit is not None:
                limit -= 1
        if sector <= _MAX_REGULAR_SECTOR and limit != 0:
            raise BrokenCompound  # the chain loops

    def entries(self) -> list[tuple[str, int, int, int]]:
        """(name, object type, start sector, size) of every directory entry."""
        found = []
        for sector in self.chain(self.dir_start):
            data = self._sector(sector)
            for offset in range(0, self.sector_size, 128):
                raw = data[offset : offset + 128]
                (name_length,) = struct.unpack_from("<H", raw, 64)
                kind = raw[66]
                if kind == 0:
                    continue
                name = raw[: max(min(name_length, 64) - 2, 0)].decode("utf-16-le", errors="replace")
                start, stream_size = struct.unpack_from("<II", raw, 116)
                found.append((name, kind, start, stream_size))
        return found

    def stream_head(self, start: int, size: int, root_start: int) -> bytes:
        """The first bytes of a stream: one sector, or one 64-byte mini sector for small streams."""
        if size >= self.mini_cutoff:
            return self._sector(start)[:size]
        offset = start * 64
        wanted = offset // self.sector_size
        for step, sector in enumerate(self.chain(root_start, wanted + 1)):
            if step == wanted:
                block = self._sector(sector)
                inner = offset % self.sector_size
                return block[inner : inner + min(64, size)]
        raise BrokenCompound


def biff_is_encrypted(head: bytes) -> bool:
    # FILEPASS follows the opening BOF record of the workbook globals when a password is set.
    position = 0
    for _ in range(16):
        if position + 4 > len(head):
            break
        record, length = struct.unpack_from("<HH", head, position)
        if record == _FILEPASS:
            return True
        if record == _BIFF_EOF:
            break
        position += 4 + length
    return False
