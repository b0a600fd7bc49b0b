"""Tables of migration 0004 for volunteer posts, who claimed them, activities with many participants, points rules."""

SCHEMA = """
"""
