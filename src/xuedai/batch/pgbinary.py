"""PostgreSQL's binary COPY format, read and written with NumPy structured arrays.

Why binary: a row of fixed-width fields is a fixed number of bytes, so a whole COPY stream is one
``np.frombuffer`` away from columns (and one ``tobytes`` away from a stream) — no per-row Python, no
text parsing. The format (PostgreSQL docs, "COPY … Binary Format"): an 11-byte signature, int32
flags, int32 extension length; then per row an int16 field count and per field an int32 byte length
(−1 for NULL) and the value in network byte order; an int16 −1 ends the stream.

Values used here: ``int8`` / ``int4`` / ``int2``; ``date`` as int32 days since 2000-01-01;
``timestamptz`` as int64 µs since 2000-01-01 UTC; ``bool`` as one byte; ``varchar`` as its UTF-8
bytes (fixed width per block: callers group rows by value); ``numeric`` as base-10000 digits —
written here with a fixed digit count (PostgreSQL strips the leading and trailing zero digits on
input, ``make_result``), so every amount has the same width.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
HEADER = SIGNATURE + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)
PG_EPOCH_DAYS = 10957  # 2000-01-01 as days since 1970-01-01
NUMERIC_POS, NUMERIC_NEG = 0x0000, 0x4000


class CopyFormatError(ValueError):
    """A binary COPY stream that is not the fixed-width layout the reader expects."""


# -- reading ------------------------------------------------------------------------------------------


def read_int_columns(data: bytes | memoryview, names: Sequence[str], widths: Sequence[int]) -> dict:
    """Columns of a binary COPY of non-NULL integer fields (``widths`` 2, 4 or 8 bytes each).

    Every field must be non-NULL — a query selects ``COALESCE(x, sentinel)`` — so each row has the
    same size and the body parses with one structured dtype.
    """
    buf = memoryview(data)
    if bytes(buf[:11]) != SIGNATURE:
        raise CopyFormatError("not a binary COPY stream")
    ext = struct.unpack(">i", buf[15:19])[0]
    body = buf[19 + ext:]
    if len(body) < 2 or bytes(body[-2:]) != TRAILER:
        raise CopyFormatError("binary COPY stream without its trailer")
    body = body[:-2]
    fields: list[tuple[str, str]] = [("count", ">i2")]
    for name, width in zip(names, widths, strict=True):
        fields += [(f"{name}__len", ">i4"), (name, f">i{width}")]
    row = np.dtype(fields)
    if len(body) % row.itemsize:
        raise CopyFormatError("rows are not of the expected width (a NULL or an unexpected type?)")
    rows = np.frombuffer(body, dtype=row)
    if rows.size and (rows["count"] != len(names)).any():
        raise CopyFormatError("unexpected field count")
    for name, width in zip(names, widths, strict=True):
        if rows.size and (rows[f"{name}__len"] != width).any():
            raise CopyFormatError(f"column {name}: NULL or not a {width}-byte integer")
    return {name: rows[name].astype(np.int64) for name in names}


# -- writing ------------------------------------------------------------------------------------------


class Block:
    """Rows of one binary COPY block: fields are added in table-column order, all with ``n`` rows."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.columns = 0
        self._fields: list[tuple[str, np.dtype]] = [("count", np.dtype(">i2"))]
        self._values: dict[str, object] = {}

    def _add(self, dtype: str | np.dtype | None, length: int, value: object = None) -> None:
        """One column: its int32 length (−1 NULL, 0 empty) and, unless ``dtype`` is None, its bytes."""
        i = self.columns
        self.columns += 1
        self._fields.append((f"l{i}", np.dtype(">i4")))
        self._values[f"l{i}"] = length
        if dtype is not None:
            self._fields.append((f"v{i}", np.dtype(dtype)))
            self._values[f"v{i}"] = value

    def int8(self, values: np.ndarray | int) -> Block:
        self._add(">i8", 8, values)
        return self

    def int4(self, values: np.ndarray | int) -> Block:
        self._add(">i4", 4, values)
        return self

    def int2(self, values: np.ndarray | int) -> Block:
        self._add(">i2", 2, values)
        return self

    def boolean(self, values: np.ndarray | bool) -> Block:
        self._add("u1", 1, np.asarray(values, dtype=np.uint8))
        return self

    def date(self, day_numbers: np.ndarray | int) -> Block:
        """Day numbers (days since 1970-01-01) as ``date``."""
        self._add(">i4", 4, np.asarray(day_numbers, dtype=np.int64) - PG_EPOCH_DAYS)
        return self

    def timestamptz(self, micros_since_2000: int) -> Block:
        self._add(">i8", 8, micros_since_2000)
        return self

    def null(self) -> Block:
        self._add(None, -1)
        return self

    def text(self, value: str | np.ndarray) -> Block:
        """One string for every row, or a fixed-width ``S`` array of UTF-8 bytes."""
        if isinstance(value, str):
            raw = value.encode()
            if raw:
                self._add(f"S{len(raw)}", len(raw), raw)
            else:
                self._add(None, 0)
        else:
            width = value.dtype.itemsize
            self._add(f"S{width}", width, value)
        return self

    def numeric(self, units: np.ndarray | int, scale: int, int_digits: int = 3) -> Block:
        """``units / 10**scale`` as ``numeric`` (fen with scale 2; a rate in 10⁻⁷ with scale 7).

        Fixed layout: ``int_digits`` base-10000 digits before the point (3 → below 10¹²) and
        ``ceil(scale / 4)`` after it; values must be below ``10000**int_digits``.
        """
        units = np.asarray(units, dtype=np.int64)
        frac_digits = -(-scale // 4)
        ndigits = int_digits + frac_digits
        magnitude = np.abs(units) * 10 ** (4 * frac_digits - scale)  # in 10000**-frac_digits
        dtype = np.dtype([("nd", ">i2"), ("weight", ">i2"), ("sign", ">u2"), ("dscale", ">i2"),
                          ("digits", ">i2", (ndigits,))])
        value = np.zeros(np.broadcast_shapes(units.shape, (self.n,)), dtype=dtype)
        value["nd"], value["weight"], value["dscale"] = ndigits, int_digits - 1, scale
        value["sign"] = np.where(units < 0, NUMERIC_NEG, NUMERIC_POS)
        if (magnitude >= 10000 ** ndigits).any():
            raise OverflowError("numeric value too large for the fixed layout")
        for k in range(ndigits):
            value["digits"][:, ndigits - 1 - k] = (magnitude // 10000**k) % 10000
        self._add(dtype, dtype.itemsize, value)
        return self

    def tobytes(self) -> bytes:
        rows = np.zeros(self.n, dtype=np.dtype(self._fields))
        rows["count"] = self.columns
        for name, value in self._values.items():
            rows[name] = value
        return rows.tobytes()


def stream(blocks: Sequence[Block]) -> bytes:
    """A complete binary COPY stream of the blocks' rows."""
    return b"".join([HEADER, *(b.tobytes() for b in blocks), TRAILER])
