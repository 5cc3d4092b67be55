"""Imports: a filled form read by its layout becomes the same command the API runs, signed
by the authenticated person, with the file itself as the act's evidence (its SHA-256).
Nothing is recorded unless the whole file is valid; a form equal to the ledger's state
is answered "unchanged" and records nothing."""
