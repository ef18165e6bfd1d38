"""Pure calculators: contributions and benefit regimes, each with its explanation.

Nothing here imports the database, the web or the clock: every function takes the legal
parameters and the date of the case as arguments.
"""
