"""The `gongkai` command line: the Typer app, the options every command shares, and one module
per command group. It turns options into core calls and results into output; no logic of its
own. The only package that imports Typer.
"""
