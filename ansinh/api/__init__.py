"""The HTTP API under /api/v1: one router per area, errors as RFC 9457 problem+json."""
