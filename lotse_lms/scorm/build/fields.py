"""Typed field readers for front matter and YAML: each records a located problem on misuse."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .model import Problem
from .yamlsrc import YamlMap

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Reader:
    """Collects problems for one file while reading typed values from YAML mappings."""

    def __init__(self, path: Path, problems: list[Problem]):
        """Remember the file and the shared problem list."""
        self.path = path
        self.problems = problems

    def add(self, line: int, message: str) -> None:
        """Record a problem at a line of this file."""
        self.problems.append(Problem(self.path, line, message))

    def mapping(self, value: Any, line: int, what: str) -> YamlMap | None:
        """Return value if it is a mapping, else record a problem and return None."""
        if isinstance(value, YamlMap):
            return value
        self.add(line, f"{what} muss eine Zuordnung (key: value) sein")
        return None

    def unknown_keys(self, data: YamlMap, allowed: set[str], what: str) -> None:
        """Record every key of data that is not allowed (typos would be silently ignored)."""
        for key in data:
            if key not in allowed:
                self.add(
                    data.line_of(key),
                    f"{what}: unbekannter Schlüssel '{key}' (erlaubt: {', '.join(sorted(allowed))})",
                )

    def text(self, data: YamlMap, key: str, what: str, required: bool = True) -> str:
        """A non-empty string value."""
        if key not in data:
            if required:
                self.add(data.line, f"{what}: Pflichtfeld '{key}' fehlt")
            return ""
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.add(data.line_of(key), f"{what}: '{key}' muss ein nicht leerer Text sein")
            return ""
        return value.strip()

    def identifier(self, data: YamlMap, key: str, what: str) -> str:
        """A [a-z0-9-] identifier."""
        value = self.text(data, key, what)
        if value and not ID_PATTERN.match(value):
            self.add(
                data.line_of(key), f"{what}: '{key}' '{value}' darf nur a-z, 0-9 und '-' enthalten"
            )
            return ""
        return value

    def integer(
        self,
        data: YamlMap,
        key: str,
        what: str,
        low: int = 1,
        high: int | None = None,
        default: int | None = None,
    ) -> int:
        """An integer within [low, high] (booleans are refused: YAML's true is not 1)."""
        if key not in data:
            if default is not None:
                return default
            self.add(data.line, f"{what}: Pflichtfeld '{key}' fehlt")
            return 0
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(
                data.line_of(key), f"{what}: '{key}' muss eine ganze Zahl sein, nicht {value!r}"
            )
            return 0
        if value < low or (high is not None and value > high):
            bounds = f"{low} bis {high}" if high is not None else f"mindestens {low}"
            self.add(data.line_of(key), f"{what}: '{key}' muss {bounds} sein, nicht {value}")
            return 0
        return value

    def boolean(self, data: YamlMap, key: str, what: str) -> bool | None:
        """A true/false value."""
        if key not in data:
            self.add(data.line, f"{what}: Pflichtfeld '{key}' fehlt")
            return None
        value = data[key]
        if not isinstance(value, bool):
            self.add(
                data.line_of(key), f"{what}: '{key}' muss true oder false sein, nicht {value!r}"
            )
            return None
        return value

    def texts(self, data: YamlMap, key: str, what: str, low: int, high: int) -> list[str]:
        """A list of low..high non-empty strings."""
        if key not in data:
            self.add(data.line, f"{what}: Pflichtfeld '{key}' fehlt")
            return []
        value = data[key]
        if not isinstance(value, list):
            self.add(data.line_of(key), f"{what}: '{key}' muss eine Liste sein")
            return []
        if not low <= len(value) <= high:
            self.add(
                data.line_of(key),
                f"{what}: '{key}' braucht {low} bis {high} Einträge, hat {len(value)}",
            )
        result = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                line = value.item_lines[i] if hasattr(value, "item_lines") else data.line_of(key)
                self.add(
                    line, f"{what}: Eintrag {i + 1} von '{key}' muss ein nicht leerer Text sein"
                )
            else:
                result.append(item.strip())
        return result
