"""Excel forms in the layouts bureaus exchange (项目支出绩效目标申报表, 绩效运行监控表,
项目支出绩效自评表, 部门整体支出绩效目标表): a registry of layouts as data files
(templates/), a workbook writer and reader driven by a layout (sheet/), what each form holds
of the ledger (content/), and imports that become the same commands the API runs
(importing/)."""
