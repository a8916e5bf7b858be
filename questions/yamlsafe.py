"""A strict YAML reader for banks and answers files.

PyYAML's ``safe_load`` is safe against code execution but not against the other traps a
hand-edited file sets: alias bombs, silently overwritten duplicate keys, and YAML 1.1's habit
of turning ``no`` into ``False`` or ``1.10`` into ``1.1``. This reader parses with PyYAML (its
libyaml parser where PyYAML was built with it: the banks load ten times faster, which is most of
the app's start-up), composes the nodes itself and then builds plain Python values itself:

* anchors, aliases and explicit tags are refused;
* duplicate keys are reported, the first value is kept;
* plain scalars stay text (only an empty value, ``~`` and ``null`` mean "nothing"); the
  models that read the data convert text to numbers and yes/no where a field asks for them;
* nesting deeper than ``MAX_DEPTH`` is refused while PyYAML builds its nodes, before its
  recursion (one Python call per level) can reach the interpreter's limit;
* characters YAML does not allow (NUL, form feed, other controls; UTF-16 read as UTF-8 is
  full of NULs) are a problem on their line, like every other error of the reader;
* the line of every mapping key and sequence entry is recorded, so a later problem can be
  reported as ``file:line``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 40

Path = tuple[str | int, ...]

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # as PyYAML counts lines
_NULL_WORDS = {"", "~", "null", "Null", "NULL"}
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass(frozen=True)
class YamlProblem:
    """One problem found while reading: the 1-based line and what is wrong."""

    line: int
    message: str


@dataclass
class YamlDocument:
    """The values read from a document and the line of every path in it."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)

    def line_of(self, path: Path) -> int:
        """The line of ``path``, or of its nearest recorded parent (1 for the whole file)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


class _RefusedConstruct(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _StrictComposer(Composer, BaseResolver):
    """PyYAML's composer, refusing anchors, aliases and deep nesting as it goes, over whichever
    parser a subclass brings; its resolver (``BaseResolver``, which knows no implicit types)
    leaves every plain scalar as a string."""

    depth = 0
    peek_event: Callable[[], yaml.Event]  # the parser's

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _RefusedConstruct(
                _line(event),
                f"aliases (*{event.anchor}) are not allowed; write the value out",
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _RefusedConstruct(
                _line(event),
                f"anchors (&{anchor}) are not allowed; write the value out",
            )
        if not isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _RefusedConstruct(_line(event), f"nested deeper than {MAX_DEPTH} levels")
        node = super().compose_node(parent, index)
        self.depth -= 1
        return node


class _PythonNodeReader(_StrictComposer, Reader, Scanner, Parser):
    """The composer over PyYAML's own parser, written in Python."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)


_NodeReader: Callable[[str], Composer] = _PythonNodeReader
if yaml.__with_libyaml__:  # as PyYAML's wheels are built
    from yaml._yaml import CParser

    class _LibyamlNodeReader(_StrictComposer, CParser):
        """The composer over libyaml's parser, written in C: it reads the banks ten times faster,
        which was most of the app's start-up. It finds the same nodes (a test compares the two on
        every bank and test file)."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)

    _NodeReader = _LibyamlNodeReader


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 1


def read_yaml(text: str | bytes) -> YamlDocument:
    """Read one YAML document strictly; problems are returned, never raised."""
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        return YamlDocument(None, problems=[YamlProblem(1, f"file is {size} bytes; the limit is {MAX_BYTES}")])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            return YamlDocument(None, problems=[YamlProblem(1, f"not UTF-8 text ({exc.reason})")])
    try:
        node = _compose(text)
    except _RefusedConstruct as exc:
        return YamlDocument(None, problems=[YamlProblem(exc.line, exc.message)])
    doc = YamlDocument(None)
    if node is None:
        return doc
    try:
        doc.data = _build(node, (), doc)
    except _RefusedConstruct as exc:
        doc.data = None
        doc.problems.append(YamlProblem(exc.line, exc.message))
    return doc


def _compose(text: str) -> yaml.Node | None:
    """PyYAML's node tree for ``text``; every error of its reader, scanner or parser is refused."""
    try:
        Reader(text)  # PyYAML's reader checks every character, and counts where one is refused
        return _NodeReader(text).get_single_node()
    except yaml.reader.ReaderError as exc:
        # The reader was given a str, so the position counts characters.
        line = len(_LINE_BREAK.findall(text, 0, exc.position)) + 1
        hint = "; if the file is UTF-16, save it as UTF-8" if exc.character == 0 else ""
        raise _RefusedConstruct(
            line, f"not valid YAML: the character U+{exc.character:04X} is not allowed{hint}"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _RefusedConstruct(mark.line + 1 if mark else 1, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise _RefusedConstruct(1, f"not valid YAML: {exc}") from None


def _build(node: yaml.Node, path: Path, doc: YamlDocument) -> Any:
    line = node.start_mark.line + 1
    doc.lines.setdefault(path, line)
    if node.tag not in _PLAIN_TAGS:
        raise _RefusedConstruct(line, f"explicit tags ({node.tag}) are not allowed")
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.value in _NULL_WORDS:  # plain: style None, or '' from libyaml
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        values = []
        for index, child in enumerate(node.value):
            doc.lines[(*path, index)] = child.start_mark.line + 1
            values.append(_build(child, (*path, index), doc))
        return values
    assert isinstance(node, yaml.MappingNode)
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
            raise _RefusedConstruct(key_line, "keys must be plain text")
        key = key_node.value
        if key in mapping:
            where = doc.lines.get((*path, key))
            doc.problems.append(YamlProblem(key_line, f"duplicate key '{key}' (first given on line {where})"))
            continue
        doc.lines[(*path, key)] = key_line
        mapping[key] = _build(value_node, (*path, key), doc)
    return mapping
