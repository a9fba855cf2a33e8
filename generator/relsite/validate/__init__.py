"""Validation: loaded documents become a typed ``Portfolio`` and a list of ``Problem``s.

Kept free of imports on purpose: the CLI starts loading files in child processes before the
models (pydantic) are imported, and importing this package must not pull them in.
"""
