"""The top of the project: what assembles every app.

The workbench home (one tile per queue a person works), the demo data and its command, and the
background worker with its schedule. Nothing imports this app; it may import every other one.
"""
