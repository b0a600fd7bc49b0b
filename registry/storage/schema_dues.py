"""Tables of migration 0004 for 党费: each member's monthly base and rate, the months paid."""

SCHEMA = """
"""
