"""Entry point for `gongkai` and `python -m gongkai_cli`; imports the app only when run.

May import: `gongkai_cli.cli`.
"""

import os
import sys


def main() -> None:
    # gongkai uses no Pydantic plugins; without this, Pydantic scans every installed
    # package's entry points (importlib.metadata) on first use, on every run.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        from gongkai_cli.cli.app import run
    except ModuleNotFoundError as exc:  # `python -m gongkai_cli` from a checkout, not installed
        sys.exit(
            f"错误：缺少 gongkai 所需的软件包 {exc.name}；请先在本目录运行 "
            "python3 -m venv .venv && .venv/bin/pip install . 安装，再用 .venv/bin/gongkai。"
        )
    except KeyboardInterrupt:  # Ctrl-C while the program itself is still loading
        sys.stderr.write("已中断。\n")
        sys.exit(130)
    run()


if __name__ == "__main__":
    main()
