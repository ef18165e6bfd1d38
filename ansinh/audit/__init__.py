"""The tamper-evident audit log: every state change and every read of a person's record."""
