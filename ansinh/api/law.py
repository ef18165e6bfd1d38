"""``/api/v1/law``: the legal parameters an officer, an auditor or a client may read."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from ansinh.core import clock
from ansinh.law import default_parameters
from ansinh.law.schemas import ParameterList, ParameterPublic, summary

router = APIRouter(prefix="/law", tags=["law"])

At = Annotated[dt.date | None, Query(description="Date the law is read on (default today).")]


@router.get("")
def list_parameters(
    at: At = None, prefix: Annotated[str | None, Query(max_length=100)] = None
) -> ParameterList:
    """Every parameter with the value in force on the date (optionally those under a key prefix)."""
    day = at or clock.today()
    parameters = default_parameters().parameters
    items = [summary(p, day) for k, p in sorted(parameters.items()) if not prefix or k.startswith(prefix)]
    return ParameterList(at=day, count=len(items), items=items)


@router.get("/{key}")
def show_parameter(
    key: Annotated[str, Path(max_length=200, description="Dotted key, e.g. si.base_salary.")], at: At = None
) -> ParameterPublic:
    """One parameter: the value in force on the date, its source, and its whole history."""
    return ParameterPublic.of(default_parameters().get(key), at or clock.today())
