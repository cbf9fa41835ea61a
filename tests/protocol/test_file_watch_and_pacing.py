"""Change detection by stat signature and quote-paced polling (the quiet idle of SPEC §6)."""

from __future__ import annotations

import os
from pathlib import Path

from windows_bridge.contract.atomic_io import write_bytes_atomic
from windows_bridge.contract.file_watch import FileWatch, signature
from windows_bridge.contract.pacing import QuotePacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_new_version_is_reported_once_until_accepted(tmp_path: Path) -> None:
    path, clock = tmp_path / "f.json", Clock()
    watch = FileWatch(path, monotonic=clock)
    assert not watch.changed() and not watch.exists()
    write_bytes_atomic(path, b'{"a": 1}')
    assert watch.changed() and watch.exists()
    assert watch.changed()  # not accepted yet (e.g. it failed validation): still reported
    watch.accept()
    assert not watch.changed()
    write_bytes_atomic(path, b'{"a": 2}')  # same size, new inode (atomic replace)
    assert watch.changed()
    watch.accept()
    path.unlink()
    assert not watch.changed() and not watch.exists()
    write_bytes_atomic(path, b'{"a": 2}')
    assert watch.changed()  # a file that comes back is new


def test_same_size_rewrite_in_place_with_the_same_mtime_is_seen_within_refresh(tmp_path: Path) -> None:
    # a share with coarse times and no inodes: a rewrite may look identical; the refresh catches it
    path, clock = tmp_path / "f.json", Clock()
    path.write_bytes(b"v1")
    watch = FileWatch(path, refresh_s=1.0, monotonic=clock)
    assert watch.changed()
    watch.accept()
    st = os.stat(path)
    path.write_bytes(b"v2")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert signature(path) == (st.st_mtime_ns, st.st_size, st.st_ino)
    assert not watch.changed()
    clock.now += 1.0
    assert watch.changed()


def test_pacer_is_slow_until_it_knows_the_cadence_then_fast_only_around_quotes(tmp_path: Path) -> None:
    quote, clock = tmp_path / "shared_quote.json", Clock()
    pacer = QuotePacer(quote, fast_s=0.01, slow_s=0.25, lead_s=0.06, follow_s=0.3, monotonic=clock)
    assert pacer.next_wait() == 0.25  # no quote yet
    for k in range(3):  # the bridge writes every 3 s
        write_bytes_atomic(quote, b"q%d" % k)
        assert pacer.next_wait() in (0.25, 0.01)
        clock.now += 3.0
    write_bytes_atomic(quote, b"q3")
    assert pacer.period == 3.0
    assert pacer.next_wait() == 0.01  # just arrived: the signal follows
    clock.now += 0.2
    assert pacer.next_wait() == 0.01
    clock.now += 0.2  # 0.4 s after: quiet until shortly before the next quote
    assert pacer.next_wait() == 0.25
    clock.now = clock.now - 0.4 + 2.9  # 0.1 s before it is due
    assert abs(pacer.next_wait() - 0.04) < 1e-9  # wake exactly lead_s before
    clock.now += 0.05
    assert pacer.next_wait() == 0.01  # due: poll fast
    clock.now += 0.5
    assert pacer.next_wait() == 0.01  # late: keep looking
    clock.now += 3.0
    assert pacer.next_wait() == 0.25  # quotes stopped (market closed, bridge down): slow


def test_wake_ups_per_quote_stay_few(tmp_path: Path) -> None:
    """Over one 3 s cycle the pacer asks for about 40 wake-ups, not the 300 of a fixed 10 ms poll."""
    quote, clock = tmp_path / "shared_quote.json", Clock()
    pacer = QuotePacer(quote, monotonic=clock)
    wakeups = 0
    for cycle in range(6):
        write_bytes_atomic(quote, b"q%d" % cycle)
        end = clock.now + 3.0
        while clock.now < end:
            clock.now += pacer.next_wait()
            wakeups += cycle == 5
    assert wakeups < 60


def test_a_slow_nap_against_faster_quotes_still_learns_their_cadence(tmp_path: Path) -> None:
    """The engine naps up to 1 s between quotes; against a bridge writing every 0.5 s it must not learn
    1 s (every second version seen) and then find each quote up to 0.5 s late."""
    quote, clock = tmp_path / "shared_quote.json", Clock()
    pacer = QuotePacer(quote, fast_s=0.01, slow_s=1.0, lead_s=0.06, follow_s=0.0, monotonic=clock)
    written: list[float] = []
    polls: list[float] = []
    due = clock.now + 0.5
    while clock.now < 160:
        while clock.now >= due:  # the bridge wrote while the pacer slept
            write_bytes_atomic(quote, b"q" * (len(written) + 1))  # a new size: a new signature at once
            written.append(due)
            due += 0.5
        polls.append(clock.now)
        clock.now += pacer.next_wait()
    assert pacer.period is not None and abs(pacer.period - 0.5) < 0.05
    late = [min(p for p in polls if p >= w) - w for w in written[-40:-1]]
    assert max(late) <= 0.02  # each quote seen within two fast polls of being written


def test_a_quote_that_lands_after_the_callers_read_is_polled_for_at_once(tmp_path: Path) -> None:
    """The engine read version 1; version 2 landed before the pacer's stat: no nap before reading it."""
    quote, clock = tmp_path / "shared_quote.json", Clock()
    pacer = QuotePacer(quote, fast_s=0.01, slow_s=1.0, lead_s=0.06, follow_s=0.0, monotonic=clock)
    watch = FileWatch(quote, monotonic=clock)
    for n in range(1, 6):  # learn a 3 s cadence, reading each quote as it comes
        write_bytes_atomic(quote, b"q" * n)
        assert watch.changed()
        watch.accept()
        assert pacer.next_wait(watch.accepted) > 0.01  # read already: nap towards the next quote
        clock.now += 3.0
    write_bytes_atomic(quote, b"q" * 5 + b"!")
    clock.now += 0.002  # the engine read the last quote; a new one landed just before the pacer looked
    write_bytes_atomic(quote, b"q" * 7)
    assert watch.accepted is not None and watch.accepted != signature(quote)
    assert pacer.next_wait(watch.accepted) == 0.01
    assert pacer.next_wait() > 0.01  # a caller that does not read the quote is not hurried
