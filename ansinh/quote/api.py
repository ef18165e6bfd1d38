"""``POST /api/v1/quote``: the quote contract over HTTP."""

from __future__ import annotations

from fastapi import APIRouter

from ansinh.quote.schemas import QuoteCase, QuoteResult
from ansinh.quote.service import quote

router = APIRouter(prefix="/quote", tags=["quote"])


@router.post("")
def post_quote(case: QuoteCase) -> QuoteResult:
    """What the law in force on the case's date gives, with its explanation line by line."""
    return quote(case)
