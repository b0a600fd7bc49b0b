"""Tables of migration 0004 for the care network: stations (暖蜂驿站, 江城蜂巢 …) with their services and visitors, merchants and streets."""

SCHEMA = """
"""
