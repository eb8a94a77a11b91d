"""Reading an operator's YAML file into a pydantic model, with errors that name the file and the line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class YamlFileError(ValueError):
    """A configuration file that cannot be used; the message names the file, the line and what is wrong."""


def load_yaml_model(path: Path, model: type[M], context: Callable[[Any], dict[str, Any]] | None = None) -> M:
    """The file as `model`. `context`, given the parsed data, returns the validation context (for checks that
    need to see one part of the file while validating another)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise YamlFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise YamlFileError(f"{path}: {where}not valid YAML: {getattr(exc, 'problem', None) or exc}") from exc
    except ValueError as exc:  # a value YAML types but cannot build, such as the date 2024-13-01
        raise YamlFileError(f"{path}: line {_unbuildable_line(root)}: not a valid value: {exc}") from exc
    try:
        return model.model_validate(data, context=None if context is None else context(data))
    except ValidationError as exc:
        problems = [
            f"line {_line_of(root, error['loc'])}: {'.'.join(map(str, error['loc'])) or 'file'}: {error['msg']}"
            for error in exc.errors()
        ]
        raise YamlFileError(f"{path}: " + "; ".join(problems)) from exc


def _line_of(node: yaml.Node | None, location: tuple[Any, ...]) -> int:
    """The line of the deepest node along an error's location (1-based); the file's first line if none."""
    line = 1 if node is None else node.start_mark.line + 1
    for part in location:
        child = _child(node, part)
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _child(node: yaml.Node | None, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((value for key, value in node.value if key.value == str(part)), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def _unbuildable_line(root: yaml.Node | None) -> int:
    """The line of the first scalar that YAML's loader cannot build (the file's first line if none is found)."""
    return next((node.start_mark.line + 1 for node in _scalars(root) if not _buildable(node)), 1)


def _scalars(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)


def _buildable(node: yaml.ScalarNode) -> bool:
    try:
        yaml.SafeLoader("").construct_object(node)
    except ValueError:
        return False
    return True
