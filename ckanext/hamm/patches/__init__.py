"""Process-wide fixes to libraries, each applied once at start-up.

Fork safety, GC pauses, the Turtle writer and ckanext-dcat's profile lookup.
"""
