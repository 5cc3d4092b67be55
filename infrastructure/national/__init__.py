"""A year moved in from, and written out to, the national budget-integration system's
performance tables (预算管理一体化 pmkpi): layouts as data (layouts.json), readers for CSV
and .xlsx, the plan an import validates before recording anything, the import, and the
export of the ledger's current state in the same layouts."""
