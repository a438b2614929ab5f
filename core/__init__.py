"""The core of the product: items, settings, errors, tokens, case IDs, body names and the store.

``ingest`` writes the store through :mod:`core.store`; ``assistant`` reads it through the same
module. Nothing here imports ``ingest`` or ``assistant``, so data flows one way:
``ingest → core store → assistant → app/eval``.
"""
