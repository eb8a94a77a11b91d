"""The console's roles and what each may do. Pure: the pages ask `may(role, permission)` and `sees(...)`; nothing
here reads the store. An officer acts only on the townships the roster gives them; everyone else sees the county."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # 管理员: everything, accounts included
    SUPERVISOR = "supervisor"  # 分管负责人: every case and queue, releases parked cases
    OFFICER = "officer"  # 帮办专员: their townships' assisted cases and follow-ups
    READER = "reader"  # 只读: sees and exports, changes nothing

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {Role.ADMIN: "管理员", Role.SUPERVISOR: "分管负责人", Role.OFFICER: "帮办专员", Role.READER: "只读"}


class Permission(StrEnum):
    VIEW = "view"
    EXPORT = "export"
    RELEASE_CASE = "release_case"  # a parked case back to work
    LOG_WORK = "log_work"  # 帮办 work log: called, visited, materials, filed
    RECORD_CALLBACK = "record_callback"  # 回访 of a poor rating
    PREVIEW_POLICY = "preview_policy"  # what-if of a draft policy file
    SEE_SERVICE = "see_service"  # job runs, the model in use
    SEE_AUDIT = "see_audit"  # the audit log of staff actions


# Work-log entries are the officer's own 台账: others read them, only an officer writes them.
GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission) - {Permission.LOG_WORK},  # the audit log included
    Role.SUPERVISOR: frozenset(Permission) - {Permission.LOG_WORK},
    Role.OFFICER: frozenset({Permission.VIEW, Permission.EXPORT, Permission.LOG_WORK, Permission.RECORD_CALLBACK}),
    Role.READER: frozenset({Permission.VIEW, Permission.EXPORT, Permission.SEE_SERVICE}),
}


def may(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]


def sees(role: Role, own_townships: Collection[str], township: str | None) -> bool:
    """Whether a case of this township is the account's to see: an officer sees only the roster's townships."""
    return role is not Role.OFFICER or township in own_townships
