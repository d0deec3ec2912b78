"""Changing the ledger: recording and undoing progress, git, locking and atomic writes,
history and blame, and creating a new ledger.

May import: `gongkai_cli.errors`, `gongkai_cli.version`, `gongkai_cli.ledger`, `gongkai_cli.model`.
Never Typer or Rich.
"""
