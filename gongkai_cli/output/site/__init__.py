"""The static site of a ledger (`gongkai site`): overview, task, unit and bulletin pages,
rendered to bytes from the templates and static files shipped beside this module.

May import: `gongkai_cli.errors`, `gongkai_cli.model` and the rest of `gongkai_cli.output`;
Jinja2, only here. Writing the files is `gongkai_cli.record.publish`'s; serving them, the CLI's.
"""
