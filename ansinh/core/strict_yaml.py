"""Reading YAML data files strictly: a key given twice is an error, not the last one kept.

``yaml.safe_load`` silently keeps the last of two equal keys, so a repeated date in a law
parameter, a holiday listed twice or a plan's operation with two ``office:`` lines would
pass unnoticed. Every data file ansinh reads (parameters, plans, the calendar, the procedure
catalogue) goes through :func:`load`. Its loader is the C one where PyYAML was built with it.
"""

from __future__ import annotations

from typing import Any, ClassVar

import yaml

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping gives the same key twice."""

    def __init__(self, key: Any, mark: yaml.Mark) -> None:
        super().__init__(None, None, f"duplicate key {key!r} at line {mark.line + 1} (the key is given twice)", mark)
        self.key = key
        self.line = mark.line + 1

    def __str__(self) -> str:
        return str(self.problem)


class _Strict(_BASE):  # type: ignore[misc,valid-type]
    """A safe loader that refuses a key given twice."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise DuplicateKeyError(key, key_node.start_mark)
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


class _StrictDatesAsText(_Strict):
    """As :class:`_Strict`, leaving dates as text for a schema to read (and name a bad one)."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [pair for pair in resolvers if pair[0] != _TIMESTAMP]
        for first, resolvers in _BASE.yaml_implicit_resolvers.items()
    }


def load(text: str, *, dates_as_text: bool = False) -> Any:
    """The data of a YAML document; :class:`DuplicateKeyError` (a ``yaml.YAMLError``) on a repeated key."""
    return yaml.load(text, Loader=_StrictDatesAsText if dates_as_text else _Strict)  # noqa: S506 - safe loaders
