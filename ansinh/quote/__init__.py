"""``ansinh quote`` and ``POST /api/v1/quote``: what the law gives for one case, explained."""
