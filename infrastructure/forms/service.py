"""Forms of the ledger, both ways: exports print a workbook in the layout in force for the
record's jurisdiction and year; imports plan (and, through `record`, run) the command a
filled form stands for. The API and tests call these; the ledger is the only state."""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import UUID

from domain.errors import NotFound
from domain.evaluation.model import SelfEvaluation, evaluation_id
from domain.ledger import Ledger
from domain.monitoring.model import MonitoringTask
from domain.objects.model import PerformanceObject
from domain.values import Act
from infrastructure.forms.content.goal import form_of, goal_data
from infrastructure.forms.content.monitoring import monitoring_data
from infrastructure.forms.content.self_evaluation import (
    blank_self_evaluation_data,
    self_evaluation_data,
)
from infrastructure.forms.importing.goal import plan_goal
from infrastructure.forms.importing.monitoring import plan_monitoring
from infrastructure.forms.importing.plan import Plan
from infrastructure.forms.importing.self_evaluation import plan_self_evaluation
from infrastructure.forms.sheet.writer import write_workbook
from infrastructure.forms.templates.layout import FORMS, Template
from infrastructure.forms.templates.registry import TemplateRegistry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Exported:
    content: bytes
    file_name: str  # the Chinese name a bureau files it under
    ascii_name: str  # the fallback for clients that read only filename=
    template: Template
    version: int  # of the record printed: send it back as If-Match with the filled form


def _exported(template: Template, content: bytes, title: str, code: str, version: int) -> Exported:
    name = re.sub(r'[\\/:*?"<>|\r\n]+', "_", f"{title}-{FORMS[template.form]}.xlsx")
    ascii_name = _ASCII_UNSAFE.sub("_", f"{template.form}-{code}.xlsx")
    return Exported(content, name, ascii_name, template, version)


class Forms:
    def __init__(self, ledger: Ledger, registry: TemplateRegistry | None = None) -> None:
        self.ledger = ledger
        self.registry = registry or TemplateRegistry.default()

    # --- exports -----------------------------------------------------------------------

    def export_goal(self, object_id: UUID) -> Exported:
        """The goal in force; for an object without a goal yet, the blank form to fill."""
        obj = self.ledger.load(PerformanceObject, object_id)
        template = self.registry.for_jurisdiction(form_of(obj), obj.mof_div_code, obj.fiscal_year)
        content = write_workbook(template, goal_data(self.ledger, obj))
        return _exported(template, content, obj.name, obj.pro_code, obj.version)

    def export_monitoring(self, task_id: UUID) -> Exported:
        task = self.ledger.load(MonitoringTask, task_id)
        obj = self.ledger.load(PerformanceObject, task.object_id)
        template = self.registry.for_jurisdiction("monitoring", task.mof_div_code, task.fiscal_year)
        content = write_workbook(template, monitoring_data(self.ledger, template, task, obj))
        return _exported(
            template, content, f"{obj.name}-{task.period_label}", obj.pro_code, task.version
        )

    def export_self_evaluation(self, object_id: UUID) -> Exported:
        """The self-evaluation as recorded; before one is submitted, the blank form to fill
        (its ETag "0": an import with If-Match "0" is refused if one was submitted since)."""
        obj = self.ledger.load(PerformanceObject, object_id)
        template = self.registry.for_jurisdiction(
            "self_evaluation", obj.mof_div_code, obj.fiscal_year
        )
        try:
            evaluation = self.ledger.load(SelfEvaluation, evaluation_id(object_id, "self"))
        except NotFound:
            content = write_workbook(template, blank_self_evaluation_data(self.ledger, obj))
            return _exported(template, content, obj.name, obj.pro_code, 0)
        content = write_workbook(template, self_evaluation_data(self.ledger, evaluation, obj))
        return _exported(template, content, obj.name, obj.pro_code, evaluation.version)

    # --- imports (record them with infrastructure.forms.importing.plan.record) -----------

    def plan_goal(self, act: Act, object_id: UUID, data: bytes, version: int | None) -> Plan:
        return plan_goal(self.ledger, self.registry, act, object_id, data, version)

    def plan_monitoring(self, act: Act, task_id: UUID, data: bytes, version: int | None) -> Plan:
        return plan_monitoring(self.ledger, self.registry, act, task_id, data, version)

    def plan_self_evaluation(
        self, act: Act, object_id: UUID, data: bytes, version: int | None
    ) -> Plan:
        return plan_self_evaluation(self.ledger, self.registry, act, object_id, data, version)
