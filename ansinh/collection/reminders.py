"""Written reminders to employers in arrears: a ``reminder`` row and a message in Vietnamese.

A written reminder matters in law: unpaid dues become **evasion** (trốn đóng, Law 41/2024/QH15
art. 39(1)) only when they are still unpaid 60 days after the deadline *and after a written
reminder*. :func:`send_reminders` therefore keeps each reminder as a row (the ageing reads
them) and writes its text to the outbox in the same transaction, so a reminder is recorded
if and only if its message will go out.

Who gets one, on day ``on``: every employer with dues unpaid at least ``min_days_overdue``
days past their deadline and no reminder in the last ``every_days`` days. Once per employer
and day (``UNIQUE(employer_id, sent_on)`` and the outbox key ``reminder:<unit code>:<date>``).

**Where the message goes.** Employers have no e-mail address on record; a reminder is
addressed to the employer's inbox on the agency's portal: channel ``portal``, recipient
``employer:<unit code>``. The demo's recording port accepts it (the messages page shows it
sent); a real port for employers' inboxes is not built yet, and the portal-callback port
refuses a recipient outside its URL, so with ``ANSINH_PORTAL_CALLBACK_URL`` set these
messages end dead with that reason until it is (docs/arrears.md).

The text names the months, the amounts per fund, the interest charged and unpaid so far,
the daily rate and its legal basis, and the evasion warning.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import polars as pl
from sqlalchemy import select

from ansinh.audit.service import record_event
from ansinh.collection.arrears import evasion_days
from ansinh.collection.arrears_models import Reminder
from ansinh.collection.balances import balances
from ansinh.collection.compliance_schemas import ReminderSent, ReminderSummary
from ansinh.collection.interest import RATE_KEY
from ansinh.core.actor import Actor
from ansinh.core.errors import InvalidInput, ParameterNotInForce
from ansinh.db.uow import UnitOfWork
from ansinh.law import default_parameters
from ansinh.law.params import ParameterSet
from ansinh.registry import extracts
from ansinh.services import outbox
from ansinh.services.models import OutboxChannel

FUND_VI = {
    "retirement_survivor": "hưu trí và tử tuất",
    "sickness_maternity": "ốm đau và thai sản",
    "work_injury": "tai nạn lao động, bệnh nghề nghiệp",
    "unemployment": "bảo hiểm thất nghiệp",
    "health": "bảo hiểm y tế",
}
"""Each fund as the agency names it to employers."""


def recipient(unit_code: str) -> str:
    """The address of an employer's inbox on the agency's portal."""
    return f"employer:{unit_code}"


def outbox_key(unit_code: str, on: dt.date) -> str:
    return f"reminder:{unit_code}:{on.isoformat()}"


def vnd(amount: int) -> str:
    """An amount as Vietnamese writes it: dots between thousands, then "đồng"."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def percent_vi(rate: Fraction) -> str:
    """A daily rate as a Vietnamese percent (0,03%)."""
    text = f"{float(rate * 100):.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def _body(*, name: str, unit_code: str, tax_code: str, on: dt.date, months: pl.DataFrame, interest: int,
          rate: Fraction | None, limit: int | None) -> str:
    """The reminder's text: one line per month with each fund's unpaid amount, then interest and the law."""
    lines = [f"Kính gửi {name} (mã đơn vị {unit_code}, mã số thuế {tax_code}).",
             f"Đến ngày {on:%d/%m/%Y}, đơn vị còn nợ tiền đóng bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp "
             "đã quá hạn đóng:"]
    total = 0
    for (month, deadline, days), funds in months.group_by("month", "deadline", "days_overdue", maintain_order=True):
        parts = "; ".join(f"{FUND_VI.get(row['fund'], row['fund'])} {vnd(row['owing'])}"
                          for row in funds.iter_rows(named=True))
        amount = int(funds.get_column("owing").sum())
        total += amount
        lines.append(f"- Tháng {month:%m/%Y} (hạn đóng {deadline:%d/%m/%Y}, quá hạn {days} ngày): {parts}; "
                     f"cộng {vnd(amount)}.")
    lines.append(f"Tổng số tiền nợ quá hạn: {vnd(total)}.")
    lines.append(f"Tiền lãi chậm đóng đã tính, chưa nộp: {vnd(interest)}.")
    if rate is not None:
        lines.append(f"Lãi chậm đóng được tính {percent_vi(rate)}/ngày trên số tiền chậm đóng và số ngày chậm đóng, "
                     "kể từ ngày sau hạn đóng, cho đến ngày nộp (Luật Bảo hiểm xã hội số 41/2024/QH15, Điều 38 "
                     "khoản 1, Điều 40 khoản 1).")
    if limit is not None:
        lines.append(f"Cảnh báo: quá {limit} ngày kể từ hạn đóng, sau khi đã được nhắc bằng văn bản này mà đơn vị vẫn "
                     "không đóng, hành vi được xác định là trốn đóng (Luật Bảo hiểm xã hội số 41/2024/QH15, Điều 39 "
                     "khoản 1) và bị xử phạt vi phạm hành chính hoặc truy cứu trách nhiệm hình sự.")
    lines.append("Đề nghị đơn vị nộp ngay số tiền trên vào tài khoản thu của cơ quan bảo hiểm xã hội, ghi mã đơn vị "
                 "trong nội dung chuyển khoản.")
    return "\n".join(lines)


def _rate(params: ParameterSet, on: dt.date) -> Fraction | None:
    try:
        return Fraction(params.value_at(RATE_KEY, on))
    except ParameterNotInForce:
        return None


def send_reminders(*, uow: UnitOfWork, on: dt.date, actor: Actor, at: dt.datetime, min_days_overdue: int = 1,
                   every_days: int = 30, params: ParameterSet | None = None) -> ReminderSummary:
    """Remind every employer in arrears that had no reminder in the last ``every_days`` days, in one transaction."""
    if min_days_overdue < 1:
        raise InvalidInput(f"min_days_overdue {min_days_overdue}", code="reminder.min_days_overdue",
                           field="min_days_overdue", rule="a reminder is for dues past their deadline: 1 day or more")
    if every_days < 1:
        raise InvalidInput(f"every_days {every_days}", code="reminder.every_days", field="every_days",
                           rule="reminders are at least a day apart")
    params = params or default_parameters()
    with uow:
        session = uow.session
        frame = balances(session, as_of=on, params=params).filter(pl.col("month") <= on)
        overdue = (frame.filter(pl.col("unpaid") > 0, pl.col("days_overdue") >= min_days_overdue)
                   .with_columns(owing=pl.col("unpaid")))
        recent = set(session.scalars(select(Reminder.employer_id).where(
            Reminder.sent_on > on - dt.timedelta(days=every_days), Reminder.sent_on <= on)))
        in_arrears = set(overdue.get_column("employer_id").unique().to_list())
        chosen = sorted(in_arrears - recent)
        interest = (frame.filter(pl.col("employer_id").is_in(chosen)).group_by("employer_id")
                    .agg(pl.col("interest_unpaid").clip(lower_bound=0).sum()))
        interest_of = dict(interest.iter_rows())
        facts = extracts.employers(session, employer_ids=chosen)
        names = {row["employer_id"]: row for row in facts.to_dicts()}
        tax_codes = dict(facts.select("employer_id", "tax_code").iter_rows())
        rate, limit = _rate(params, on), evasion_days(params, on)
        sent = []
        detail = overdue.filter(pl.col("employer_id").is_in(chosen)).sort("employer_id", "month", "fund")
        for (employer_id,), months in detail.group_by("employer_id", maintain_order=True):  # one per employer
            employer = names[employer_id]
            key = outbox_key(employer["unit_code"], on)
            owed = int(months.get_column("owing").sum())
            charged = int(interest_of.get(employer_id, 0))
            body = _body(name=employer["name"], unit_code=employer["unit_code"], tax_code=tax_codes[employer_id],
                         on=on, months=months, interest=charged, rate=rate, limit=limit)
            outbox.enqueue(uow=uow, key=key, channel=OutboxChannel.PORTAL, recipient=recipient(employer["unit_code"]),
                           subject=f"Thông báo nợ đóng BHXH, BHYT, BHTN: {employer['name']}", body=body,
                           dossier_id=None, at=at)
            oldest: dt.date = months.get_column("month").min()  # type: ignore[assignment]
            session.add(Reminder(employer_id=employer_id, sent_on=on, oldest_month=oldest, unpaid=owed,
                                 interest=charged, outbox_key=key))
            sent.append(ReminderSent(unit_code=employer["unit_code"], name=employer["name"], sent_on=on,
                                     oldest_month=oldest, unpaid=owed, interest=charged,
                                     outbox_key=key))
        if sent:
            session.flush()
            record_event(uow=uow, actor=actor, action="reminder.send", record_type="reminder", record_id=on.isoformat(),
                         at=at, detail={"on": on.isoformat(), "employers": len(sent),
                                        "unpaid": sum(r.unpaid for r in sent)})
        uow.commit()
    return ReminderSummary(on=on, sent=sent, skipped_recent=len(in_arrears & recent))


def recent_reminders(*, uow: UnitOfWork, limit: int = 20) -> list[ReminderSent]:
    """The latest reminders written, newest first."""
    with uow:
        session = uow.session
        rows = session.scalars(select(Reminder).order_by(Reminder.sent_on.desc(), Reminder.id.desc())
                               .limit(limit)).all()
        facts = extracts.employers(session, employer_ids=list({r.employer_id for r in rows}))
        who = {employer_id: (unit_code, name) for employer_id, unit_code, name in
               facts.select("employer_id", "unit_code", "name").iter_rows()}
        return [ReminderSent(unit_code=who[r.employer_id][0], name=who[r.employer_id][1], sent_on=r.sent_on,
                             oldest_month=r.oldest_month, unpaid=r.unpaid, interest=r.interest,
                             outbox_key=r.outbox_key) for r in rows]
