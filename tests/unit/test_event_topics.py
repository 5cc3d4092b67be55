"""Every aggregate and event class of the domain is stored under an explicit topic,
`jixiao:<class qualname>`, that does not name the module holding it: a class can move
without stranding the events already recorded under its name."""

from __future__ import annotations

import importlib
import pkgutil

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.utils import get_topic, resolve_topic

import domain


def _domain_aggregates() -> list[type[Aggregate]]:
    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(module.name)
    found, pending = [], list(Aggregate.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("domain."):
            found.append(cls)
    return found


def test_every_stored_class_has_its_own_explicit_topic() -> None:
    aggregates = _domain_aggregates()
    assert len(aggregates) >= 20
    topics: dict[str, type] = {}
    for aggregate in aggregates:
        classes = [aggregate] + [
            v
            for k, v in vars(aggregate).items()
            if isinstance(v, type) and issubclass(v, CanMutateAggregate) and k != "Event"
        ]
        for cls in classes:
            topic = get_topic(cls)
            assert topic == f"jixiao:{cls.__qualname__}", (cls, topic)
            assert resolve_topic(topic) is cls
            assert topics.setdefault(topic, cls) is cls, f"{topic} names two classes"
