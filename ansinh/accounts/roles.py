"""Roles and permissions: the one place that says which role may do what.

Each service verb declares the permission it needs (``require(Permission.PERSON_READ)`` at
the API edge); this table grants permissions to roles. Where a record lies (jurisdiction)
is checked separately, on the record: a permission says *what* a role may do, jurisdiction
says *where*.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """The roles an account may act as. Staff roles are held at an office (a posting)."""

    CITIZEN = "citizen"
    EMPLOYER = "employer"
    FACILITY = "facility"
    OFFICER = "officer"
    APPROVER = "approver"
    INSPECTOR = "inspector"
    ACCOUNTANT = "accountant"
    MANAGER = "manager"
    ADMINISTRATOR = "administrator"
    PORTAL = "portal"
    BANK = "bank"


STAFF_ROLES = frozenset({Role.OFFICER, Role.APPROVER, Role.INSPECTOR, Role.ACCOUNTANT, Role.MANAGER,
                         Role.ADMINISTRATOR})


class Permission(StrEnum):
    """What a service verb needs. Values are stable: they appear in errors and audit events."""

    PERSON_READ = "person.read"
    PERSON_SEARCH = "person.search"
    PERSON_REGISTER = "person.register"
    PARTICIPATION_RECORD = "participation.record"
    DEATH_RECORD = "death.record"
    DUPLICATE_REVIEW = "duplicate.review"
    EMPLOYER_READ = "employer.read"
    EMPLOYER_SEARCH = "employer.search"
    EMPLOYER_REGISTER = "employer.register"
    CARD_CHECK = "card.check"
    CLAIM_SUBMIT = "claim.submit"
    DOSSIER_SUBMIT = "dossier.submit"
    DOSSIER_PROCESS = "dossier.process"
    DECISION_PREPARE = "decision.prepare"
    DECISION_APPROVE = "decision.approve"
    CONTRIBUTION_DECLARE = "contribution.declare"
    PAYMENT_RECONCILE = "payment.reconcile"
    LEDGER_READ = "ledger.read"
    INSPECTION_MANAGE = "inspection.manage"
    REPORT_READ = "report.read"
    ORG_RESTRUCTURE = "org.restructure"
    ACCOUNT_MANAGE = "account.manage"
    AUDIT_READ = "audit.read"
    PORTAL_FORWARD = "portal.forward"
    BANK_STATEMENT_SUBMIT = "bank.statement_submit"


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # A citizen reads their own record (jurisdiction limits them to it) and applies.
    Role.CITIZEN: frozenset({P.PERSON_READ, P.DOSSIER_SUBMIT}),
    # An employer reads its own record and its own workers, declares and applies.
    Role.EMPLOYER: frozenset({P.EMPLOYER_READ, P.PERSON_READ, P.CONTRIBUTION_DECLARE, P.DOSSIER_SUBMIT}),
    # The national portal forwards dossiers filed there, about anyone, and nothing else.
    Role.PORTAL: frozenset({P.PORTAL_FORWARD}),
    # A bank's client sends statements of the collection account, and nothing else.
    Role.BANK: frozenset({P.BANK_STATEMENT_SUBMIT}),
    # A health facility checks cards and submits its own claims, nothing else.
    Role.FACILITY: frozenset({P.CARD_CHECK, P.CLAIM_SUBMIT}),
    # The maker: registers, records, receives and prepares.
    Role.OFFICER: frozenset({P.PERSON_READ, P.PERSON_SEARCH, P.PERSON_REGISTER, P.PARTICIPATION_RECORD,
                             P.DEATH_RECORD, P.DUPLICATE_REVIEW, P.EMPLOYER_READ, P.EMPLOYER_SEARCH,
                             P.EMPLOYER_REGISTER, P.DOSSIER_SUBMIT, P.DOSSIER_PROCESS, P.DECISION_PREPARE}),
    # The checker: reads and approves what another officer prepared.
    Role.APPROVER: frozenset({P.PERSON_READ, P.PERSON_SEARCH, P.EMPLOYER_READ, P.EMPLOYER_SEARCH,
                              P.DOSSIER_PROCESS, P.DECISION_APPROVE}),
    Role.INSPECTOR: frozenset({P.EMPLOYER_READ, P.EMPLOYER_SEARCH, P.PERSON_READ, P.PERSON_SEARCH,
                               P.INSPECTION_MANAGE}),
    Role.ACCOUNTANT: frozenset({P.EMPLOYER_READ, P.EMPLOYER_SEARCH, P.PAYMENT_RECONCILE, P.LEDGER_READ,
                                P.BANK_STATEMENT_SUBMIT}),
    Role.MANAGER: frozenset({P.REPORT_READ, P.EMPLOYER_SEARCH, P.LEDGER_READ}),
    # The administrator runs accounts and the organisation; reading people is not its job.
    Role.ADMINISTRATOR: frozenset({P.ORG_RESTRUCTURE, P.ACCOUNT_MANAGE, P.AUDIT_READ, P.REPORT_READ}),
}


def permits(role: Role | str | None, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``."""
    try:
        return permission in ROLE_PERMISSIONS[Role(role)] if role else False
    except ValueError:
        return False
