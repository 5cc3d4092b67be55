"""Form layouts as data: one JSON file per (form, region, first year, version)."""

from infrastructure.forms.templates.layout import Template
from infrastructure.forms.templates.registry import TemplateRegistry

__all__ = ["Template", "TemplateRegistry"]
