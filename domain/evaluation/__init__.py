"""Self-evaluation, key evaluations and the finance bureau's re-checks (绩效评价, 抽查复核)."""
