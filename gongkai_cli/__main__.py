"""Entry point for `gongkai` and `python -m gongkai_cli`; imports the app only when run."""

import os


def main() -> None:
    # gongkai uses no Pydantic plugins; without this, Pydantic scans every installed
    # package's entry points (importlib.metadata) on first use, on every run.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from gongkai_cli.cli.app import run

    run()


if __name__ == "__main__":
    main()
