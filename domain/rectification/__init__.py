"""Rectification notices (整改) and a department's register of them."""
