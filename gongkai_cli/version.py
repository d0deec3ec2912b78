"""The program's version, in a module of its own so that any layer may read it (the cache
keys on it, a new ledger's CI pins it) without importing the library API above them.

May import: nothing of the package; every other part may import it.
"""

__version__ = "0.1.0"
