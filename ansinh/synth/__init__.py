"""Synthetic national population for demos, tests and benchmarks (``ansinh synth``)."""
