"""Plan documents → tasks: the published text export today; Word, Excel, web pages and CSV.

May import: `gongkai_cli.errors`, `gongkai_cli.model` and `gongkai_cli.ledger.yamlio` (to read
text files). Never Typer or Rich.
"""
