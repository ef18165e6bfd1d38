"""The permission table in docs/accounts.md is the one the code applies."""

from __future__ import annotations

from pathlib import Path

from ansinh.accounts.roles import ROLE_PERMISSIONS, Permission, Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "accounts.md"


def test_the_documented_permission_table_matches_the_code() -> None:
    rows = {line.split("|")[1].strip().strip("`"): [cell.strip() for cell in line.split("|")[2:-1]]
            for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| `")
            and line.split("|")[1].strip().strip("`") in {p.value for p in Permission}}
    assert set(rows) == {p.value for p in Permission}
    for permission in Permission:
        granted = {role for role, cell in zip(Role, rows[permission.value], strict=True) if cell == "✓"}
        assert granted == {role for role in Role if permission in ROLE_PERMISSIONS[role]}, permission
