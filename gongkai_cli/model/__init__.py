"""The domain: file schemas, the unit registry, the responsibility resolver, deadlines, the
status fold and the query book.

May import: `gongkai_cli.errors`; `book` also opens a ledger through `gongkai_cli.ledger`.
Never Typer or Rich.
"""
