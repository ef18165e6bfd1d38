"""Engine, sessions, the unit of work and the migrations."""
