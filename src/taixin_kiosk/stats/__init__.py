"""Usage statistics, in plain Python: what visitors looked at, stored and reported."""
