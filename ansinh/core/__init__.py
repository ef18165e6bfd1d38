"""Settings, the one clock, money and period types, and the domain error hierarchy."""
