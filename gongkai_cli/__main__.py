"""Entry point for `gongkai` and `python -m gongkai_cli`; imports the app only when run."""


def main() -> None:
    from gongkai_cli.cli import run

    run()


if __name__ == "__main__":
    main()
