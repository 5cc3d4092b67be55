"""The demo jurisdictions, loaded through the ledger's commands."""
