"""Accounts, sign-in and roles: who may do what, and where."""
