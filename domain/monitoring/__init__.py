"""Dual monitoring during execution (绩效运行监控): tasks, entries, deviations."""
