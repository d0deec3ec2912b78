"""Unit fill-in forms: writing each unit's form (out), reading and checking returned forms,
entering them into the log (collect), and telling which units have replied (rounds).

May import: `gongkai_cli.errors`, `gongkai_cli.ledger`, `gongkai_cli.model`, `gongkai_cli.record`,
`gongkai_cli.output.package` and `gongkai_cli.output.text` (reproducible files, text widths).
Never Typer or Rich.
"""
