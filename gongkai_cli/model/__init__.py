"""The domain: file schemas (Pydantic, and a plain-Python check for files without mistakes),
the plain values the queries use, the unit registry, the responsibility resolver, deadlines,
the status fold and the query book.

May import: `gongkai_cli.errors`. Never Typer or Rich.
"""
