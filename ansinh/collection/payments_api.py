"""HTTP routes of payments: the bank's statements, accountants' matching, payment orders, the SI book.

- ``POST /api/v1/bank/statements``: a bank's machine client (account kind ``bank``, API key in
  ``X-API-Key``, permission ``bank.statement_submit``; accountants hold it too) sends a
  statement of the collection account. Idempotent on its ``statement_id``: the first call
  answers 201 ``created: true``; the same statement again 200 ``created: false``; the same id
  with other lines 409 ``payment.statement_reused``. Matching and allocation run afterwards.
- ``/api/v1/payments/...``: accountants (``payment.reconcile``) list transactions, match one
  by hand or return it; an order is read by its employer or an accountant, as JSON or PDF.
- ``GET /api/v1/people/{key}/contributions``: the SI book; a citizen reads their own.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import BaseModel, Field

from ansinh.accounts.jurisdiction import check_person, employer_unit_code
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission, Role
from ansinh.api.auth import CurrentPrincipal, needs, require
from ansinh.api.deps import AsOf, UowDep
from ansinh.collection import bank_statements, matching, payment_orders, si_book
from ansinh.collection.payment_models import TransactionStatus
from ansinh.collection.payment_schemas import (
    ImportResult,
    PaymentOrderPublic,
    SiBook,
    StatementIn,
    TransactionPublic,
)
from ansinh.core import clock
from ansinh.core.errors import Forbidden

bank_router = APIRouter(prefix="/bank", tags=["payments"])
payments_router = APIRouter(prefix="/payments", tags=["payments"])
people_contributions_router = APIRouter(prefix="/people", tags=["people"])

Bank = Annotated[Principal, Depends(require(Permission.BANK_STATEMENT_SUBMIT))]
Accountant = Annotated[Principal, Depends(require(Permission.PAYMENT_RECONCILE))]
PersonReader = Annotated[Principal, Depends(require(Permission.PERSON_READ))]
RecordId = Annotated[int, Path(ge=1, le=2**62, description="Id of a record.")]


class ManualMatch(BaseModel):
    employer_unit_code: str = Field(min_length=1, max_length=14)
    note: str = Field(min_length=1, max_length=500)


class ReturnNote(BaseModel):
    note: str = Field(min_length=1, max_length=500)


@bank_router.post("/statements", status_code=status.HTTP_201_CREATED,
                  responses={200: {"description": "Already received: nothing written.", "model": ImportResult}})
def submit_statement(data: StatementIn, uow: UowDep, principal: Bank, response: Response) -> ImportResult:
    """Take a statement of the collection account; sending it again changes nothing."""
    result = bank_statements.submit_statement(uow=uow, data=data, actor=principal.actor, at=clock.now())
    if not result.created:
        response.status_code = status.HTTP_200_OK
    return result


@payments_router.get("/transactions", dependencies=needs(Permission.PAYMENT_RECONCILE))
def list_transactions(uow: UowDep,
                      status: TransactionStatus | None = TransactionStatus.UNMATCHED,
                      limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[TransactionPublic]:
    """Transactions of the collection account (the unmatched ones by default), oldest first."""
    return matching.transactions(uow=uow, status=status, limit=limit)


@payments_router.post("/transactions/{transaction_id}/match")
def match_transaction(transaction_id: RecordId, data: ManualMatch, uow: UowDep, as_of: AsOf,
                      principal: Accountant) -> TransactionPublic:
    """Tie an unmatched transaction to an employer, with the reason."""
    return matching.match_manually(uow=uow, transaction_id=transaction_id,
                                   employer_unit_code=data.employer_unit_code, note=data.note, on=as_of,
                                   actor=principal.actor, at=clock.now())


@payments_router.post("/transactions/{transaction_id}/return")
def return_transaction(transaction_id: RecordId, data: ReturnNote, uow: UowDep, as_of: AsOf,
                       principal: Accountant) -> TransactionPublic:
    """Send an unmatched transaction back to its payer."""
    return matching.return_transaction(uow=uow, transaction_id=transaction_id, note=data.note, on=as_of,
                                       actor=principal.actor, at=clock.now())


def _order(uow: UowDep, principal: Principal, order_id: int) -> PaymentOrderPublic:
    """An order its employer or an accountant may read (anyone else: 403; another employer's: 404)."""
    if principal.may(Permission.PAYMENT_RECONCILE):
        return payment_orders.get_order(uow=uow, order_id=order_id)
    if principal.role == Role.EMPLOYER and principal.employer_id is not None:
        return payment_orders.get_order(uow=uow, order_id=order_id, employer_id=principal.employer_id)
    raise Forbidden(f"a {principal.role.value} may not read payment orders", code="auth.forbidden",
                    rule="needs the permission payment.reconcile or contribution.declare")


def _order_reader(principal: CurrentPrincipal) -> Principal:
    if not (principal.may(Permission.PAYMENT_RECONCILE) or principal.may(Permission.CONTRIBUTION_DECLARE)):
        raise Forbidden(f"a {principal.role.value} may not read payment orders", code="auth.forbidden",
                        rule="needs the permission payment.reconcile or contribution.declare")
    return principal


OrderReader = Annotated[Principal, Depends(_order_reader)]


@payments_router.get("/orders/{order_id}")
def get_order(order_id: RecordId, uow: UowDep, principal: OrderReader) -> PaymentOrderPublic:
    """A payment order: the month's dues per fund, arrears, interest, credit, total, due date, reference."""
    return _order(uow, principal, order_id)


@payments_router.get("/orders/{order_id}/pdf", response_class=Response,
                     responses={200: {"content": {"application/pdf": {}}}})
def get_order_pdf(order_id: RecordId, uow: UowDep, principal: OrderReader) -> Response:
    """The payment notice as a PDF."""
    order = _order(uow, principal, order_id)
    return Response(payment_orders.order_pdf(order), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{order.reference}.pdf"'})


@people_contributions_router.get("/{key}/contributions")
def contributions(key: str, uow: UowDep, principal: PersonReader) -> SiBook:
    """The person's SI book: every month, its employer, salary, shares, and whether it is credited."""
    check_person(uow=uow, principal=principal, key=key, on=clock.today())
    book = si_book.si_book(uow=uow, person_key=key, actor=principal.actor, at=clock.now())
    unit = employer_unit_code(uow=uow, principal=principal)
    return book if unit is None else si_book.only_employer(book, unit)
