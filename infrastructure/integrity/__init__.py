"""Tamper evidence for the log: an RFC 9162 Merkle tree and a running hash chain over every
event in notification order, signed tree heads, proofs, and a verifier."""
