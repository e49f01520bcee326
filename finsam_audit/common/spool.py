"""Values kept on disk instead of in memory, so a run over thousands of plans stays flat.

A `Spool` is an unnamed temporary file that pickled values are appended to; a value is read
back by its place (offset and length, with pread, also from a forked process that inherited
the file). A `Spooled` sequence is a list of places on a spool: iterating it loads one value at
a time, and every sequence made from it (reordered, mapped, extended) is written to the same
spool. `written_like` and `reordered` treat a plain list alike, so code that walks a sequence
works on both.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")
Place = tuple[int, int]  # offset and length of one pickled value in its spool


class Spool:
    """An unnamed temporary file of pickled values, removed when the spool is let go."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="finsam-audit-")  # noqa: SIM115 - open as long as the spool
        self._end = 0

    @property
    def fd(self) -> int:
        return self._file.fileno()

    def add(self, value: object) -> Place:
        return self.add_pickled(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))

    def add_pickled(self, data: bytes) -> Place:
        """A value pickled elsewhere (in a worker process)."""
        os.pwrite(self.fd, data, self._end)
        place = (self._end, len(data))
        self._end += len(data)
        return place

    def sequence(self, values: Iterable[T]) -> Spooled[T]:
        """The values written one by one (none kept in memory) as a sequence on this spool."""
        return Spooled(self, [self.add(value) for value in values])

    def close(self) -> None:
        self._file.close()


def load(fd: int, place: Place) -> Any:
    """The value at `place` of the spool open as `fd`."""
    offset, length = place
    return pickle.loads(os.pread(fd, length, offset))


class Spooled(Sequence[T], Generic[T]):
    """Values on a spool, in order: each loaded from disk when it is asked for."""

    def __init__(self, spool: Spool, places: list[Place]) -> None:
        self.spool = spool
        self._places = places

    def __len__(self) -> int:
        return len(self._places)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Spooled[T]: ...

    def __getitem__(self, index: int | slice) -> T | Spooled[T]:
        if isinstance(index, slice):
            return Spooled(self.spool, self._places[index])
        value: T = load(self.spool.fd, self._places[index])
        return value

    def __iter__(self) -> Iterator[T]:
        for place in self._places:
            value: T = load(self.spool.fd, place)
            yield value

    def taken(self, order: Iterable[int]) -> Spooled[T]:
        return Spooled(self.spool, [self._places[index] for index in order])

    def extended(self, more: Iterable[T]) -> Spooled[T]:
        return Spooled(self.spool, [*self._places, *(self.spool.add(value) for value in more)])


def written_like(model: Sequence[Any], values: Iterable[T]) -> Sequence[T]:
    """`values` as the same kind of sequence as `model`: spooled on its spool when it is spooled,
    else a list. Every value is taken now (whatever counts on having seen them all may go on)."""
    if isinstance(model, Spooled):
        return model.spool.sequence(values)
    return list(values)


def reordered(values: Sequence[T], order: Iterable[int]) -> Sequence[T]:
    """The values at the indices `order` gives, in that order, without loading a spooled one."""
    if isinstance(values, Spooled):
        return values.taken(order)
    return [values[index] for index in order]


def appended(values: Sequence[T], more: Iterable[T]) -> Sequence[T]:
    """The values and then `more`, without loading or copying a spooled sequence."""
    if isinstance(values, Spooled):
        return values.extended(more)
    return [*values, *more]
