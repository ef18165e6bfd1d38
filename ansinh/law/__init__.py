"""The law as data: effective-dated parameters, each value with its legal source."""

from ansinh.law.params import Parameter, ParameterSet, Source, default_parameters, value_at

__all__ = ["Parameter", "ParameterSet", "Source", "default_parameters", "value_at"]
