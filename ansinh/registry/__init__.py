"""People, employers, households, participation periods and identity checks."""
