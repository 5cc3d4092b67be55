"""Deterministic aggregate ids from the identifiers the national system uses.

The same jurisdiction code, organisation code, login or project code always maps to the
same aggregate, so registering a thing twice is a conflict rather than a duplicate, and
data can be exchanged with systems that speak mof_div_code / dept_code / pro_code.
"""

from __future__ import annotations

from uuid import UUID, uuid5

NAMESPACE = UUID("6f1c0e3a-8d7b-5b8e-9a51-6a6978696161")  # fixed for jixiao; never change


def jurisdiction_id(mof_div_code: str) -> UUID:
    return uuid5(NAMESPACE, f"jurisdiction:{mof_div_code}")


def organisation_id(mof_div_code: str, org_code: str) -> UUID:
    return uuid5(NAMESPACE, f"organisation:{mof_div_code}:{org_code}")


def person_id(login: str) -> UUID:
    return uuid5(NAMESPACE, f"person:{login}")


def performance_object_id(mof_div_code: str, fiscal_year: int, pro_code: str) -> UUID:
    return uuid5(NAMESPACE, f"object:{mof_div_code}:{fiscal_year}:{pro_code}")


def library_indicator_id(mof_div_code: str, code: str) -> UUID:
    """An indicator library entry (指标库) by its jurisdiction and 指标编码."""
    return uuid5(NAMESPACE, f"library_indicator:{mof_div_code}:{code}")
