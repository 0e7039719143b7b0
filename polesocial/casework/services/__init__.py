"""Writes of case work: each in a transaction, checked, and written to the journal."""
