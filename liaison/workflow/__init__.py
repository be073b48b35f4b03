"""The workflow kernel: what every service of a status workflow does, once (docs/architecture.md,
"Workflow kernel").

Layer: above accounts and audit, below jurisdiction and every app with a workflow. It imports
nothing from those apps; an app hands it its model, tables and facts (`flow.Workflow`).
"""
