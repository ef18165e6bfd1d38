"""Checking a plan against the organisation on its date, and working out what it changes.

Everything here reads; nothing writes. :func:`check_plan` either raises an
:class:`~ansinh.core.errors.InvalidInput` naming the operation and field at fault
(``operations.3.into``) and the rule, or returns the :class:`Changes` the plan makes:
offices closed and opened, successions, areas ended and started, and who takes each closed
office's staff and open work. This module reads the operations one by one and checks the
offices they name (rules 1 and 2 of :mod:`ansinh.org.plan_rules`); that module checks the
organisation the plan would leave behind.
"""

from __future__ import annotations

from ansinh.org.models import OfficeKind
from ansinh.org.plan import Create, Dissolve, Merge, NewOffice, Plan, Reassign, Rename, Split
from ansinh.org.plan_rules import Changes, Opening, check_after, refuse
from ansinh.org.structure import Snapshot

__all__ = ["Changes", "Opening", "check_plan"]


class PlanCheck:
    """One pass over a plan against a snapshot; fills :attr:`changes` or raises."""

    def __init__(self, plan: Plan, snapshot: Snapshot) -> None:
        self.plan, self.snap, self.on = plan, snapshot, plan.effective_on
        self.changes = Changes()
        self.new: dict[str, Opening] = {}
        self.dissolves: list[tuple[int, list[str], str]] = []
        self.reassigns: list[tuple[int, Reassign]] = []

    # ------------------------------------------------------------------ offices named

    def existing(self, code: str, field: str, *, closes: bool = False) -> str:
        """``code`` if it names an office in force on the date (and the day before, if the plan closes it)."""
        if code in self.snap.offices:
            office = self.snap.offices[code]
            if office.valid_from < self.on or not closes:
                return code
            reason = f"opens on {self.on.isoformat()}, the plan's date, so it cannot close that day"
        elif code in self.snap.codes_used:
            office = self.snap.codes_used[code]
            until = office.valid_to.isoformat() if office.valid_to else "open-ended"
            reason = f"is not in force on {self.on.isoformat()} (in force {office.valid_from.isoformat()} to {until})"
        else:
            refuse("office_unknown", field, f"there is no office with code {code!r}",
                   "a plan names offices by codes that exist")
        refuse("office_not_in_force", field, f"office {code} {reason}",
               "a plan changes offices in force on its date; those it closes, the day before too")

    def receiver(self, code: str, field: str) -> str:
        """``code`` if it names an office in force or one this plan opens."""
        if code not in self.new:
            self.existing(code, field)
            self.changes.received.append((code, field))
        return code

    def open(self, spec: NewOffice, field: str, *, parent: str | None) -> Opening:
        if spec.code in self.snap.codes_used or spec.code in self.new:
            refuse("code_taken", f"{field}.code", f"office code {spec.code} is already used",
                   "a new office takes a code never used before, so a code keeps one meaning in history")
        opening = Opening(spec.code, spec.name, spec.name_en, spec.kind, spec.parent or parent, field,
                          [(ref, f"{field}.areas.{k}") for k, ref in enumerate(spec.areas)])
        self.new[spec.code] = opening
        self.changes.opened.append(opening)
        return opening

    def close(self, code: str, field: str) -> str:
        self.existing(code, field, closes=True)
        if code in self.changes.closed:
            refuse("office_in_two_operations", field, f"office {code} is already closed by {self.changes.closed[code]}",
                   "an office is closed by at most one operation of a plan")
        self.changes.closed[code] = field
        return code

    def hand_over(self, old: str, new: str, change: str, field: str) -> None:
        """``new`` succeeds ``old`` and takes its staff and open work."""
        self.changes.successions.append((old, new, change))
        self.changes.edge_fields[(old, new)] = field
        self.changes.staff_to[old] = new
        self.changes.work_to[old] = new

    def code_of(self, office_id: int | None) -> str | None:
        return self.snap.by_id[office_id].code if office_id is not None else None

    def served_by(self, codes: list[str]) -> set[int]:
        return {unit for code in codes for unit in self.snap.served.get(code, ())}

    # ------------------------------------------------------------------ operations

    def merge(self, i: int, op: Merge) -> None:
        olds = [self.close(code, f"operations.{i}.offices.{j}") for j, code in enumerate(op.offices)]
        parents = {self.snap.offices[code].parent_id for code in olds}
        if op.into.parent is None and len(parents) != 1:
            refuse("parent_required", f"operations.{i}.into.parent",
                   "the merged offices have different parents; name the new office's parent",
                   "a merged office takes its parent from the plan, or from the offices if they share one")
        opening = self.open(op.into, f"operations.{i}.into", parent=self.code_of(parents.pop()))
        if not op.into.areas:
            opening.default_areas = self.served_by(olds)
        for old in olds:
            self.hand_over(old, opening.code, "merge", f"operations.{i}.into")

    def split(self, i: int, op: Split) -> None:
        old = self.close(op.office, f"operations.{i}.office")
        parent = self.code_of(self.snap.offices[old].parent_id)
        codes = [self.open(spec, f"operations.{i}.into.{j}", parent=parent).code for j, spec in enumerate(op.into)]
        for name, target in (("staff_to", op.staff_to), ("work_to", op.work_to)):
            if target not in codes:
                refuse("split_target", f"operations.{i}.{name}", f"{target} is not one of the new offices {codes}",
                       "a split names which of its new offices takes the staff and which the open work")
        self.changes.staff_to[old], self.changes.work_to[old] = op.staff_to, op.work_to
        for j, code in enumerate(codes):
            self.changes.successions.append((old, code, "split" if code == op.work_to else "split-share"))
            self.changes.edge_fields[(old, code)] = f"operations.{i}.into.{j}"

    def rename(self, i: int, op: Rename) -> None:
        old = self.close(op.office, f"operations.{i}.office")
        row = self.snap.offices[old]
        spec = NewOffice(code=op.to.code, name=op.to.name, name_en=op.to.name_en, kind=op.to.kind or row.kind,
                         parent=op.to.parent, areas=op.to.areas or [])
        opening = self.open(spec, f"operations.{i}.to", parent=self.code_of(row.parent_id))
        if op.to.areas is None:
            opening.default_areas = self.served_by([old])
        self.hand_over(old, opening.code, "rename", f"operations.{i}.to")

    def dissolve(self, i: int, op: Dissolve) -> None:
        olds = [self.close(code, f"operations.{i}.offices.{j}") for j, code in enumerate(op.offices)]
        self.dissolves.append((i, olds, op.into))

    def reassign(self, i: int, op: Reassign) -> None:
        self.existing(op.from_office, f"operations.{i}.from")
        self.changes.reassigned_from.append((op.from_office, f"operations.{i}.from"))
        self.reassigns.append((i, op))

    def create(self, i: int, op: Create) -> None:
        if op.office.parent is None and op.office.kind != OfficeKind.CENTRAL:
            refuse("parent_required", f"operations.{i}.office.parent", "a new office needs a parent",
                   "every office but the central one sits under a parent office")
        self.open(op.office, f"operations.{i}.office", parent=None)

    def run(self) -> Changes:
        for i, op in enumerate(self.plan.operations):
            getattr(self, op.op)(i, op)
        for i, olds, into in self.dissolves:
            target = self.receiver(into, f"operations.{i}.into")
            for old in olds:
                self.hand_over(old, target, "dissolve", f"operations.{i}.into")
            self.changes.dissolved.append((i, olds, target))
        for i, op in self.reassigns:
            self.receiver(op.to, f"operations.{i}.to")
        for opening in self.changes.opened:
            if opening.parent is not None:
                self.receiver(opening.parent, f"{opening.where}.parent")
        check_after(self.snap, self.changes, self.reassigns, self.new)
        return self.changes


def check_plan(plan: Plan, snapshot: Snapshot) -> Changes:
    """What ``plan`` changes in the organisation of ``snapshot``, or the first rule it breaks."""
    return PlanCheck(plan, snapshot).run()
