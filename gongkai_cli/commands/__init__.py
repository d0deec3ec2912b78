"""The commands of `gongkai`, grouped by what they are about."""
