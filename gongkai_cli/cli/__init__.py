"""The `gongkai` command line: the Typer app, the options every command shares, and one module
per command group. Each command parses its options, calls one action (or, for a query, the
ledger's book) and presents the result; no use case of its own. The only package that
imports Typer. What it writes goes through `gongkai_cli.actions`, never `record` directly.

May import: `gongkai_cli.errors`, `gongkai_cli.version`, `gongkai_cli.model`, `gongkai_cli.ledger`,
`gongkai_cli.output`, `gongkai_cli.actions`.
`gongkai_cli.cli.forms` may also import `gongkai_cli.forms.collect` (the outcomes of a row it counts).
"""
