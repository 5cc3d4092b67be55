"""Jurisdictions, organisations and people, and their roles (the registry)."""
