"""The data files: safe YAML with positions, the canonical progress line (read and write),
finding the data directory, loading and checking, and the cache.

May import: `gongkai_cli.errors`, `gongkai_cli.version` (the cache is keyed on it) and
`gongkai_cli.model`. Never Typer or Rich.
"""
