"""YAML loading that keeps line numbers: mappings and lists remember where each entry is."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


class YamlMap(dict):
    """A YAML mapping with the file line of the mapping and of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        """The file line of key, or of the mapping itself if the key is missing."""
        return self.key_lines.get(key, self.line)


class YamlList(list):
    """A YAML sequence with the file line of the sequence and of each item."""

    line: int = 0
    item_lines: list


class YamlProblem(Exception):
    """A YAML syntax error with the file line it happened on."""

    def __init__(self, line: int, message: str):
        """Store the file line and the message."""
        super().__init__(message)
        self.line = line
        self.message = message


def _build(node: Node, constructor: yaml.SafeConstructor, offset: int) -> Any:
    """Turn a composed YAML node into Python values, keeping file lines."""
    line = node.start_mark.line + 1 + offset
    if isinstance(node, MappingNode):
        result = YamlMap()
        result.line, result.key_lines = line, {}
        for key_node, value_node in node.value:
            key = (
                constructor.construct_object(key_node)
                if isinstance(key_node, ScalarNode)
                else str(key_node)
            )
            key = key if isinstance(key, str) else str(key)
            result[key] = _build(value_node, constructor, offset)
            result.key_lines[key] = key_node.start_mark.line + 1 + offset
        return result
    if isinstance(node, SequenceNode):
        items = YamlList()
        items.line, items.item_lines = line, []
        for item in node.value:
            items.append(_build(item, constructor, offset))
            items.item_lines.append(item.start_mark.line + 1 + offset)
        return items
    return constructor.construct_object(node, deep=True)


def load(text: str, offset: int = 0) -> Any:
    """Load YAML text; offset is added to every line (for front matter inside a file)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else offset + 1
        raise YamlProblem(line, f"YAML-Fehler: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(offset + 1, f"YAML-Fehler: {exc}") from exc
    if node is None:
        return None
    return _build(node, yaml.SafeLoader(""), offset)
