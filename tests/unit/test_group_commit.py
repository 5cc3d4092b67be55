"""Group commit as a mechanism: concurrent writes share transactions, each caller gets its
own result only after its group was written, a lost race refuses only the loser, and a
write whose caller gave up waiting is withdrawn, never written behind its back."""

from __future__ import annotations

import threading
import time

import pytest
from eventsourcing.persistence import RecordConflictError

from infrastructure.store.group_commit import GroupCommit
from infrastructure.store.unavailable import StoreUnavailable


class Log:
    """A write function standing in for one transaction: appends the whole group or none."""

    def __init__(self, pause: float = 0.0, losers: frozenset[str] = frozenset()) -> None:
        self.rows: list[str] = []
        self.groups: list[list[str]] = []
        self.pause, self.losers = pause, losers

    def write(self, items):
        time.sleep(self.pause)
        if any(item in self.losers for item in items):
            raise RecordConflictError("lost the race")
        self.groups.append(list(items))
        self.rows.extend(items)
        return [f"{item}@{len(self.rows)}" for item in items]


def submit_all(group: GroupCommit, items: list[str]) -> dict[str, object]:
    answers: dict[str, object] = {}

    def one(item: str) -> None:
        try:
            answers[item] = group.submit(item)
        except Exception as e:
            answers[item] = e

    threads = [threading.Thread(target=one, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_concurrent_writes_share_commits_and_each_gets_its_own_answer() -> None:
    log = Log(pause=0.02)
    group = GroupCommit(log.write)
    items = [f"w{n}" for n in range(16)]
    answers = submit_all(group, items)
    assert sorted(log.rows) == sorted(items)  # each written once
    assert all(str(answers[i]).startswith(f"{i}@") for i in items)
    assert len(log.groups) < len(items)  # some were grouped
    assert group.items == 16 and group.batches == len(log.groups)


def test_a_lost_race_refuses_only_the_loser() -> None:
    log = Log(pause=0.02, losers=frozenset({"w3"}))
    group = GroupCommit(log.write)
    answers = submit_all(group, [f"w{n}" for n in range(8)])
    assert isinstance(answers["w3"], RecordConflictError)
    assert sorted(log.rows) == sorted(f"w{n}" for n in range(8) if n != 3)


def test_another_failure_fails_the_group_and_writes_nothing() -> None:
    def broken(items):
        raise OSError("disk gone")

    group = GroupCommit(broken)
    answers = submit_all(group, ["a", "b", "c"])
    assert all(isinstance(a, OSError) for a in answers.values())


def test_a_write_whose_caller_gave_up_is_never_written() -> None:
    log = Log(pause=0.5)
    group = GroupCommit(log.write, wait_seconds=0.1)
    first = threading.Thread(target=group.submit, args=("slow",))
    first.start()
    time.sleep(0.05)  # the slow write holds the store
    with pytest.raises(StoreUnavailable):
        group.submit("impatient")
    first.join()
    time.sleep(0.1)
    group.submit("later")  # the next leader must not find the withdrawn one
    assert log.rows == ["slow", "later"]
