"""Limit/offset pagination that also says which page it returned and how many there are."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Databases keep offsets in 64-bit integers, and SQLite fails (a 500) on larger ones; no
# list comes anywhere near this.
MAX_OFFSET = 2**31 - 1


class LimitOffset(PaginationBase):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="items per page")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="items to skip")

    class Output(Schema):
        count: int = Field(description="items matching the filters, on all pages")
        limit: int
        offset: int
        items: list[Any]

    def paginate_queryset(
        self, queryset, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict:
        offset, limit = pagination.offset, pagination.limit
        return {
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
            "items": list(queryset[offset : offset + limit]),
        }
