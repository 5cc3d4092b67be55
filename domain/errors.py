"""Domain errors. Each names a stable problem type and says what was refused; how a refusal
is answered (the HTTP status of its problem+json) is the API's to decide (api/problems.py)."""

from __future__ import annotations


class DomainError(Exception):
    """A command the domain refuses: raised before any event is triggered, so nothing is
    recorded."""

    type: str = "domain-error"
    title: str = "命令被拒绝 Command refused"

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class InvalidInput(DomainError):
    type = "invalid-input"
    title = "输入无效 Invalid input"


class InvalidTransition(DomainError):
    type = "invalid-transition"
    title = "当前状态不允许此操作 Not allowed in the current state"


class NotFound(DomainError):
    type = "not-found"
    title = "未找到 Not found"


class AlreadyExists(DomainError):
    type = "already-exists"
    title = "已存在 Already exists"


class NotPermitted(DomainError):
    type = "not-permitted"
    title = "无权执行此操作 Not permitted for this role"


class VersionConflict(DomainError):
    type = "version-conflict"
    title = "版本冲突 The record changed since it was read"


class SegregationOfDuties(NotPermitted):
    """Refused because the actor already holds an incompatible part in the same record
    (不相容职务: preparing and approving, two review stages, rechecking one's own work).
    The same answer as any NotPermitted; the API also keeps the attempt in the security log."""
