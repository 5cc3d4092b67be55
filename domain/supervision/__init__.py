"""The NPC's supervision: submissions, disclosure, coverage, work assessment."""
