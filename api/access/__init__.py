"""Access control: who may call which operation (RULES), on which records (reach), and who
looked at what (the access log). Enforced once, in `api.deps.current_actor`."""

from api.access.gate import FORBIDDEN, OUT_OF_SCOPE, authorise
from api.access.index import AccessTableIncomplete, operations
from api.access.reach import Reach
from api.access.rules import RULES, Rule, Scope

__all__ = [
    "FORBIDDEN",
    "OUT_OF_SCOPE",
    "RULES",
    "AccessTableIncomplete",
    "Reach",
    "Rule",
    "Scope",
    "authorise",
    "operations",
]
