"""The static site of a ledger (`gongkai site`): overview, task, unit and bulletin pages."""
