"""Workbooks written and read by a layout (templates/), knowing no form's meaning."""
