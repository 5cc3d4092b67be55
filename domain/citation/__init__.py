"""Events cited as evidence: what was cited, and its record's hash."""
