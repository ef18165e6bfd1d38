"""ansinh: the core administration system of a national social security agency."""

__version__ = "0.1.0"
