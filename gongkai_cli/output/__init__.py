"""What leaves the program: report models and views, and one renderer per format.

Renderers return `str` or `bytes`; only `gongkai_cli.cli` writes to stdout or to files.
May import: `gongkai_cli.errors` and `gongkai_cli.model`. Rich only inside the table renderer.
"""
