"""The text of a bar file in pieces of whole lines, a ``.gz`` inflated a piece at a time.

:func:`texts` gives the file's text in chunks (a ``.gz`` is inflated ``CHUNK_BYTES`` at a time, by
ISA-L when installed — 3-5x zlib's speed, the same bytes — else by the standard library, every member,
zero padding after a member allowed as :mod:`gzip` allows it); :func:`pieces` cuts them at newlines into
pieces of about ``CHUNK_BYTES``, copying only the line across each seam of two chunks. The bar reader
(:mod:`miniqmt_gui.backtest.bar_files`) parses the first pieces while the rest are still inflated.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, cast

#: a ``.gz`` file is inflated this many bytes of text at a time, and a text is parsed in pieces of about
#: this size (enough pieces for two threads to share the work evenly)
CHUNK_BYTES = 1 << 19
#: compressed bytes handed to the decompressor at a time
INPUT_BYTES = 1 << 16
GZIP_WBITS = 31  # zlib's window bits for a gzip header and trailer


class Inflating(Protocol):
    """What :func:`inflate` uses of a zlib-style decompress object (the standard library's or ISA-L's)."""

    @property
    def eof(self) -> bool:
        """Whether the end of the member was reached."""
        ...

    @property
    def unconsumed_tail(self) -> bytes:
        """Input not inflated yet because the output reached ``max_length``."""
        ...

    @property
    def unused_data(self) -> bytes:
        """Input after the end of the member."""
        ...

    def decompress(self, data: bytes, max_length: int = 0, /) -> bytes:
        """Inflate ``data``, at most ``max_length`` bytes of output."""
        ...


Inflater = Callable[[], Inflating]
#: a piece of the text: whole lines ``buf[start:stop]``
Piece = tuple[bytes, int, int]


def inflater_maker() -> tuple[Inflater, tuple[type[BaseException], ...]]:
    """A maker of gzip inflaters, ISA-L's when installed (3-5x zlib's speed, the same bytes) else the
    standard library's; and what inflating a broken file raises (the general reader words it)."""
    errors: tuple[type[BaseException], ...] = (OSError, EOFError, ValueError, zlib.error)
    try:
        from isal import isal_zlib
    except ImportError:
        return (lambda: zlib.decompressobj(GZIP_WBITS)), errors
    isal_error = cast(type[BaseException], isal_zlib.IsalError)
    return (lambda: isal_zlib.decompressobj(GZIP_WBITS)), (*errors, isal_error)


new_inflater, INFLATE_ERRORS = inflater_maker()


def inflate(raw: bytes) -> Iterator[bytes]:
    """The text of a gzip file, every member, ``CHUNK_BYTES`` at a time (raises on a broken file).

    The input is fed ``INPUT_BYTES`` at a time: the decompressor copies what it did not consume, so
    feeding it the whole rest of a large file on every call would take time in the square of its size.
    """
    view = memoryview(raw)
    pos, pending, first = 0, b"", True
    while True:
        # after a member, zero padding is skipped (as the standard library's gzip does); not before the first
        while not first and not pending.lstrip(b"\x00"):
            if pos >= len(raw):
                return
            pending, pos = view[pos:pos + INPUT_BYTES].tobytes(), pos + INPUT_BYTES
        pending, first = pending.lstrip(b"\x00") if not first else pending, False
        inflater = new_inflater()
        while not inflater.eof:
            if not pending:
                if pos >= len(raw):
                    raise EOFError("the gzip file ends inside a member")
                pending, pos = view[pos:pos + INPUT_BYTES].tobytes(), pos + INPUT_BYTES
            before = len(pending)
            chunk = inflater.decompress(pending, CHUNK_BYTES)
            pending = inflater.unconsumed_tail
            if chunk:
                yield chunk
            elif pending and len(pending) == before:
                raise EOFError("the gzip file stops making progress")
        pending = inflater.unused_data + inflater.unconsumed_tail  # the next member's start, if any


def texts(path: Path) -> Iterator[bytes]:
    """The file's text in chunks: inflated pieces of a ``.gz``, the whole of a ``.csv``/``.txt``."""
    suffix = path.suffix.lower()
    if suffix == ".gz":
        yield from inflate(path.read_bytes())
    elif suffix in (".csv", ".txt"):
        yield path.read_bytes()


def ranges(chunk: bytes, a: int, b: int) -> Iterator[tuple[int, int]]:
    """``chunk[a:b]`` (whole lines) cut at newlines into ranges of about ``CHUNK_BYTES``."""
    while b - a > CHUNK_BYTES:
        cut = chunk.find(b"\n", a + CHUNK_BYTES, b)
        if cut < 0:
            break
        yield a, cut + 1
        a = cut + 1
    if a < b:
        yield a, b


def pieces(chunks: Iterator[bytes], first: bytes, start: int) -> Iterator[Piece]:
    """Whole lines of the text in order: ranges of each chunk, and the line across each seam of two
    chunks as a piece of its own (the only bytes copied). ``first`` is the first chunk, read from
    ``start``."""
    tail: list[bytes] = []  # the unfinished line, in parts (one line may span many chunks)
    for chunk, a in itertools.chain([(first, start)], ((c, 0) for c in chunks)):
        head_end = chunk.find(b"\n", a)
        if head_end < 0:
            tail.append(chunk[a:])
            continue
        if tail:
            seam = b"".join([*tail, chunk[a:head_end + 1]])
            yield seam, 0, len(seam)
            a = head_end + 1
        last = chunk.rfind(b"\n", a) + 1
        if last > a:
            for lo, hi in ranges(chunk, a, last):
                yield chunk, lo, hi
        tail = [chunk[max(a, last):]] if max(a, last) < len(chunk) else []
    if tail:
        rest = b"".join(tail)
        yield rest, 0, len(rest)
