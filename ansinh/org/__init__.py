"""The organisation: administrative areas (effective-dated), offices and jurisdiction."""
