"""Plan documents → tasks: the published text export today; Word, Excel, web pages and CSV.

May import: `gongkai_cli.errors` and `gongkai_cli.model`. Never Typer or Rich.
"""
