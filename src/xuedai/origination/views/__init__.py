"""Origination pages (namespace `origination`), split by who uses them. Views are thin: parse, call a
scoped selector (out of scope → 404) or a service, render."""
