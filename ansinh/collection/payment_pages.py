
"""Pages of payments: the accountant's statements, unmatched transactions and funds; the employer's
dues and payment orders; a person's SI book.

As thin as the API: each page reads the request, calls the services of
:mod:`ansinh.collection` and renders. Uploading a statement runs matching and allocation
right after the import and shows what each did, so the accountant sees at once what is left
for them. A form the services refuse shows the page again with the refusal and the error's
status; one they accept redirects (303), so a reload never posts twice.
"""

from __future__ import annotations

from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ansinh.accounts.jurisdiction import check_person, employer_unit_code
from ansinh.accounts.principal import Principal
from ansinh.accounts.roles import Permission, Role
from ansinh.api.deps import UowDep
from ansinh.collection import allocation, bank_statements, matching, payment_orders, si_book
from ansinh.collection.balances import balances
from ansinh.core import clock
from ansinh.core.errors import AnsinhError, Forbidden, InvalidInput, NotFound
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.ledger.chart import INSURANCE_FUNDS, Fund
from ansinh.ledger.service import trial_balance
from ansinh.registry.lookups import person_by_id
from ansinh.web.forms import form_date
from ansinh.web.render import redirect, render, render_error
from ansinh.web.session import page_user

router = APIRouter(include_in_schema=False)
Accountant = Annotated[Principal, Depends(page_user(Permission.PAYMENT_RECONCILE))]
LedgerReader = Annotated[Principal, Depends(page_user(Permission.LEDGER_READ))]
Declarer = Annotated[Principal, Depends(page_user(Permission.CONTRIBUTION_DECLARE))]
Reader = Annotated[Principal, Depends(page_user(Permission.PERSON_READ))]
Citizen = Annotated[Principal, Depends(page_user())]
FormText = Annotated[str, Form(max_length=500)]


def _record_id(value: str, what: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise NotFound(f"no {what} {value}", code=f"payment.{what}_not_found", field=f"{what}_id")
    return int(value)


# ----------------------------------------------------------------------------- statements

def _statements_page(request: Request, uow: UnitOfWork, user: Principal, *, outcome: dict[str, Any] | None = None,
                     error: AnsinhError | None = None) -> HTMLResponse:
    return render(request, "collection/payments/statements.html", {
        "user": user, "statements": bank_statements.statements(uow=uow), "outcome": outcome, "error": error,
    }, status_code=error.status if error else 200)


@router.get("/accountant/statements", name="payment_statements")
def statements_page(request: Request, uow: UowDep, user: Accountant) -> HTMLResponse:
    """The statements imported, with how many of their transactions are matched; the upload form."""
    return _statements_page(request, uow, user)


@router.post("/accountant/statements", name="payment_upload")
async def upload_statement(request: Request, uow: UowDep, user: Accountant,
                           statement: Annotated[UploadFile, File()]) -> HTMLResponse:
    """Import the statement, then match and allocate, and show what each step did."""
    content = await statement.read(bank_statements.MAX_BYTES + 1)
    today, now = clock.today(), clock.now()
    try:
        imported = bank_statements.import_statement(uow=uow, content=content, filename=statement.filename,
                                                    actor=user.actor, at=now)
    except AnsinhError as error:
        return _statements_page(request, uow, user, error=error)
    matched = matching.match_transactions(uow=uow, on=today, actor=user.actor, at=now)
    allocated = allocation.allocate(uow=uow, on=today, actor=user.actor, at=now)
    return _statements_page(request, uow, user,
                            outcome={"imported": imported, "matched": matched, "allocated": allocated})


# ----------------------------------------------------------------------------- unmatched

def _unmatched_page(request: Request, uow: UnitOfWork, user: Principal, error: AnsinhError | None = None,
                    failed: int | None = None) -> HTMLResponse:
    return render(request, "collection/payments/unmatched.html", {
        "user": user, "transactions": matching.transactions(uow=uow), "error": error, "failed": failed,
    }, status_code=error.status if error else 200)


@router.get("/accountant/unmatched", name="payment_unmatched")
def unmatched_page(request: Request, uow: UowDep, user: Accountant) -> HTMLResponse:
    """Each transaction no rule could tie to an employer, with the forms to match it or return it."""
    return _unmatched_page(request, uow, user)


@router.post("/accountant/unmatched/{transaction_id}/match", name="payment_match")
def match_page(request: Request, uow: UowDep, user: Accountant, transaction_id: str, *, unit_code: FormText = "",
               note: FormText = "") -> Response:
    """Tie the transaction to the employer of the unit code, then allocate the employer's money."""
    number = _record_id(transaction_id, "transaction")
    try:
        done = matching.match_manually(uow=uow, transaction_id=number, employer_unit_code=unit_code.strip().upper(),
                                       note=note, on=clock.today(), actor=user.actor, at=clock.now())
    except AnsinhError as error:
        return _unmatched_page(request, uow, user, error, failed=number)
    from ansinh.registry.lookups import employer_by_key

    with uow:
        employer_id = employer_by_key(uow.session, done.unit_code or "").id
    allocation.allocate(uow=uow, on=clock.today(), actor=user.actor, at=clock.now(), employer_ids=[employer_id])
    return redirect(request, str(request.app.url_path_for("payment_unmatched")))


@router.post("/accountant/unmatched/{transaction_id}/return", name="payment_return")
def return_page(request: Request, uow: UowDep, user: Accountant, transaction_id: str,
                note: FormText = "") -> Response:
    """Send the transaction back to its payer."""
    number = _record_id(transaction_id, "transaction")
    try:
        matching.return_transaction(uow=uow, transaction_id=number, note=note, on=clock.today(), actor=user.actor,
                                    at=clock.now())
    except AnsinhError as error:
        return _unmatched_page(request, uow, user, error, failed=number)
    return redirect(request, str(request.app.url_path_for("payment_unmatched")))


# ----------------------------------------------------------------------------- funds

@router.get("/accountant/funds", name="payment_funds")
def funds_page(request: Request, uow: UowDep, user: LedgerReader, start: str = "", end: str = "") -> HTMLResponse:
    """The trial balance of a period, balanced or not, and each fund's receivable and money collected."""
    today = clock.today()
    context: dict[str, Any] = {"user": user, "start": start or today.replace(month=1, day=1).isoformat(),
                               "end": end or today.isoformat(), "balance": None, "funds": [], "error": None}
    try:
        books = trial_balance(uow=uow, start=form_date(start, default=today.replace(month=1, day=1), field="start"),
                              end=form_date(end, default=today, field="end"))
    except InvalidInput as error:
        return render(request, "collection/payments/funds.html", {**context, "error": error},
                      status_code=error.status)
    closing = {(row.account_code, row.fund): row.closing for row in books.rows}
    funds = [{"fund": fund.value, "receivable": closing.get(("135", fund), 0),
              "interest_receivable": closing.get(("1358", fund), 0), "collected": closing.get(("112", fund), 0)}
             for fund in INSURANCE_FUNDS]
    context.update(balance=books, funds=funds, suspense=-closing.get(("3371", Fund.COLLECTION), 0),
                   at_bank=closing.get(("112", Fund.COLLECTION), 0))
    return render(request, "collection/payments/funds.html", context)


# ----------------------------------------------------------------------------- the employer

def _own_employer(user: Principal) -> int:
    if user.role != Role.EMPLOYER or user.employer_id is None:
        raise Forbidden("this page is an employer's own", code="auth.forbidden",
                        rule="an employer account reads its own dues")
    return user.employer_id


def dues_by_month(owed: pl.DataFrame) -> list[dict[str, Any]]:
    """Per month, newest first: due, paid, unpaid, interest unpaid, deadline, and whether it is paid."""
    months = (owed.group_by("month").agg(pl.col("due").sum(), pl.col("paid").sum(),
                                         pl.col("unpaid").clip(lower_bound=0).sum(),
                                         pl.col("interest_unpaid").sum(), pl.col("deadline").first(),
                                         pl.col("paid_on").max(), pl.col("days_overdue").max())
              .sort("month", descending=True))
    return [row | {"period": f"{row['month']:%Y-%m}", "settled": row["unpaid"] <= 0 and row["due"] > 0}
            for row in months.iter_rows(named=True)]


@router.get("/employer/dues", name="employer_dues")
def dues_page(request: Request, uow: UowDep, user: Declarer) -> HTMLResponse:
    """The employer's months with dues, what is paid and unpaid, the deadlines, and its payment orders."""
    employer_id = _own_employer(user)
    params = default_parameters()
    with uow:
        owed = balances(uow.session, as_of=clock.today(), params=params, employer_ids=[employer_id])
    orders = payment_orders.orders_of(uow=uow, employer_id=employer_id, params=params)
    return render(request, "collection/payments/dues.html", {
        "user": user, "months": dues_by_month(owed), "orders": orders,
        "unit_code": employer_unit_code(uow=uow, principal=user)})


@router.get("/employer/dues/orders/{order_id}/pdf", name="employer_order_pdf")
def order_pdf_page(uow: UowDep, user: Declarer, order_id: str) -> Response:
    """The payment notice of one of the employer's orders, as a PDF."""
    order = payment_orders.get_order(uow=uow, order_id=_record_id(order_id, "order"),
                                     employer_id=_own_employer(user))
    return Response(payment_orders.order_pdf(order), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{order.reference}.pdf"'})


# ----------------------------------------------------------------------------- the SI book

@router.get("/people/{key}/contributions", name="si_book_page")
def si_book_page(request: Request, uow: UowDep, user: Reader, key: str) -> HTMLResponse:
    """A person's months of contributions, each credited, unpaid or suspended."""
    try:
        check_person(uow=uow, principal=user, key=key, on=clock.today())
        book = si_book.si_book(uow=uow, person_key=key, actor=user.actor, at=clock.now())
    except (NotFound, InvalidInput) as error:
        return render_error(request, error, value=key)
    unit = employer_unit_code(uow=uow, principal=user)
    if unit is not None:
        book = si_book.only_employer(book, unit)
    return render(request, "collection/payments/si_book.html", {"user": user, "book": book, "key": key})


@router.get("/contributions/mine", name="my_contributions")
def my_contributions(request: Request, uow: UowDep, user: Citizen) -> RedirectResponse:
    """A citizen's own SI book (from the menu, which does not know their ID)."""
    if user.role != Role.CITIZEN or user.person_id is None:
        raise Forbidden("only a citizen has an SI book of their own", code="auth.forbidden",
                        rule="the SI book is read by its person or by staff")
    with uow:
        citizen_id = person_by_id(uow.session, user.person_id).citizen_id
    return redirect(request, str(request.app.url_path_for("si_book_page", key=citizen_id)))
