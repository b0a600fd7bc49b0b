"""Tables of migration 0004 for meetings in full (planned and held, minutes, attachments by reference), 党小组 and their members, a branch's committee and 党课 settings."""

SCHEMA = """
"""
