"""Use cases: one module per thing a person does with a ledger (start one, import a plan,
compare plans, record and undo progress, send and collect forms, publish reports, build the
site). Each takes plain values and returns plain results; the command line parses options,
calls one action and presents what it returns, and the library API exposes the same actions.

May import: `gongkai_cli.errors`, `gongkai_cli.model`, `gongkai_cli.ledger`, `gongkai_cli.record`,
`gongkai_cli.importers`, `gongkai_cli.forms`, `gongkai_cli.output`. Never Typer or Rich, and never
prints: what to say is the caller's.
"""
