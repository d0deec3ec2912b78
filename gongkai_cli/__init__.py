"""gongkai: the command-line ledger (台账) of a county's 政务公开 key-task plan."""

__version__ = "0.1.0"
