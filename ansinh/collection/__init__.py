"""Contribution collection: the monthly assessment of what every employer owes each fund."""
