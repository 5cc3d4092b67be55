"""Accountability cases, findings traced to persons, and referral (问责, 移送)."""
