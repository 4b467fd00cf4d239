"""Read one YAML file safely into plain values that remember their line numbers.

The only module that imports `yaml`. Files are untrusted: no tags beyond the safe core schema, no duplicate
keys, bounded size, depth and alias expansion; every problem is reported as `file:line: message`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from taxonomy_cli.errors import CatalogError

MAX_FILE_BYTES = 8 * 1024 * 1024  # the whole bundled catalogue is far below this
MAX_DEPTH = 64
MAX_NODES = 1_000_000  # real catalogues average ~19 bytes per value: an 8 MB one has ~440,000

_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class Mapping(dict):
    """A YAML mapping that remembers where it and each of its keys stand."""

    __slots__ = ("line", "key_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML sequence that remembers where it and each item stand."""

    __slots__ = ("line", "item_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def read_text(path: Path) -> str:
    """Read a catalogue file as UTF-8 text, refusing what is not a regular, reasonably sized file.

    The checks are made on the opened file itself (no race with a file swapped in between), and opening never
    waits: a FIFO or a device named as a catalogue is refused, not read from forever."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if exc.errno == errno.EISDIR:  # Windows cannot open a folder at all
            raise CatalogError([f"{path}: is a folder, expected a YAML file"]) from None
        raise CatalogError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise CatalogError([f"{path}: is a folder, expected a YAML file"])
        if not stat.S_ISREG(info.st_mode):
            raise CatalogError([f"{path}: is not a regular file (a FIFO, device or socket?): expected a YAML file"])
        if info.st_size > MAX_FILE_BYTES:
            raise CatalogError([f"{path}: {info.st_size} bytes is too large for a catalogue file (limit {MAX_FILE_BYTES})"])
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:  # bounded even if the file grows while it is read
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise CatalogError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise CatalogError([f"{path}: more than {MAX_FILE_BYTES} bytes is too large for a catalogue file"])
    data = b"".join(chunks)
    if b"\x00" in data:
        raise CatalogError([f"{path}: contains NUL bytes: this is a binary file, not YAML"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError([f"{path}:{line}: not valid UTF-8 text (byte {exc.start})"]) from None


def parse(text: str, name: str) -> object:
    """Parse YAML text into Mapping/Sequence/scalars, or raise CatalogError naming name:line.

    Built from the parser's events with an explicit stack rather than through yaml.compose: libyaml's composer
    recurses once per nesting level and crashes the interpreter (SIGSEGV) on about 100,000 '[' in a row; here
    nesting stops at MAX_DEPTH, an alias stops at once, and nothing is recursive."""
    import yaml  # lazy: only loading an uncached catalogue needs it

    _check_flow_depth(text, name)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        return _Builder(name, yaml, loader).document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise CatalogError([f"{name}:{line}: malformed YAML: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise CatalogError([f"{name}: malformed YAML: {exc}"]) from None
    finally:
        loader.dispose()


def _check_flow_depth(text: str, name: str) -> None:
    """Refuse flow nesting ('[[[...', '{{{...') past MAX_DEPTH before the YAML library sees it.

    The event builder below stops nesting at MAX_DEPTH, but on a single line the library's scanner reads ahead
    (up to 1024 characters, looking for a possible key) before it hands over any event, and newer libyaml/PyYAML
    releases stop deep nesting in that look-ahead with their own words. This pass makes taxo's limit speak first,
    whatever the library does: it counts open '['/'{' outside quotes and comments (a flow collection may span
    lines) in one linear pass over the few characters that matter."""
    import re  # lazy: only parsing YAML needs it

    depth, quote, skip_to = 0, "", 0
    for match in re.finditer(r"[][{}'\"#\\]", text):
        index, char = match.start(), match.group()
        if index < skip_to:
            continue  # inside a comment, or the character after a backslash in "..."
        previous = text[index - 1] if index else "\n"
        if quote:
            if char == "\\" and quote == '"':
                skip_to = index + 2
            elif char == quote:
                if quote == "'" and text.startswith("''", index):
                    skip_to = index + 2  # '' is a quote inside '...'
                else:
                    quote = ""
        elif char == "#" and previous in " \t\n":
            newline = text.find("\n", index)
            skip_to = len(text) if newline < 0 else newline
        elif char in "'\"" and previous in " \t\n[{,:-":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, index) + 1
                raise CatalogError([f"{name}:{line}: nesting is deeper than {MAX_DEPTH} levels"])
        elif char in "]}" and depth:
            depth -= 1


_DECIMAL = None  # compiled on first use


def _plain_tag(tag: str, value: str) -> str:
    """What an unquoted value is, without YAML 1.1's surprises: a whole number only when written in decimal
    ('7_241_732_096', not '0x1F', '0755' or the sexagesimal '7:0:0'), true/false only when spelt so (not yes/no/on/
    off), and never a float ('1.10' stays the text the user wrote: no catalogue field is fractional)."""
    global _DECIMAL
    if tag == "tag:yaml.org,2002:int":
        if _DECIMAL is None:
            import re  # lazy: only parsing YAML needs it

            _DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)")
        return tag if _DECIMAL.fullmatch(value) else "tag:yaml.org,2002:str"
    if tag == "tag:yaml.org,2002:bool":
        return tag if value.lower() in ("true", "false") else "tag:yaml.org,2002:str"
    if tag == "tag:yaml.org,2002:float":
        return "tag:yaml.org,2002:str"
    return tag


class _Builder:
    """Turns one YAML document's events into Mapping, Sequence and plain values, refusing what files don't need."""

    def __init__(self, name: str, yaml_module, loader) -> None:  # noqa: ANN001
        self.name = name
        self.yaml = yaml_module
        self.loader = loader
        self.nodes = 0

    def fail(self, event, message: str) -> CatalogError:  # noqa: ANN001
        return CatalogError([f"{self.name}:{event.start_mark.line + 1}: {message}"])

    def document(self) -> object:
        events, loader = self.yaml.events, self.loader
        loader.get_event()  # stream start
        if loader.check_event(events.StreamEndEvent):
            return None  # an empty file
        loader.get_event()  # document start
        value = self.value()
        loader.get_event()  # document end
        if not loader.check_event(events.StreamEndEvent):
            raise self.fail(loader.get_event(), "more than one YAML document ('---') in one file")
        return value

    def value(self) -> object:
        """The next complete value: a scalar, or a mapping or sequence built level by level on a stack."""
        events, loader = self.yaml.events, self.loader
        stack: list[list] = []  # [container, the key waiting for its value (mappings)]
        while True:
            event = loader.get_event()
            if isinstance(event, events.AliasEvent):
                # Refusing aliases refuses alias bombs ("billion laughs") before any expansion; catalogue files
                # have no need for anchors.
                raise self.fail(event, "YAML aliases (*name) are not supported in catalogue files: write the value out")
            if isinstance(event, (events.MappingEndEvent, events.SequenceEndEvent)):
                value = stack.pop()[0]
            elif isinstance(event, events.ScalarEvent):
                value = self.scalar(event, key=bool(stack) and isinstance(stack[-1][0], Mapping) and stack[-1][1] is None)
            else:
                value = self.start(event, len(stack))
                if stack and isinstance(stack[-1][0], Mapping) and stack[-1][1] is None:
                    raise self.fail(event, "mapping keys must be text, not a list or mapping")
                stack.append([value, None])
                continue
            if not stack:
                return value
            self.place(stack[-1], value, event)

    def start(self, event, depth: int) -> Mapping | Sequence:  # noqa: ANN001
        """A new, empty mapping or sequence for a start event."""
        self.count(event)
        if depth >= MAX_DEPTH:
            raise self.fail(event, f"nesting is deeper than {MAX_DEPTH} levels")
        is_mapping = isinstance(event, self.yaml.events.MappingStartEvent)
        node_type = self.yaml.MappingNode if is_mapping else self.yaml.SequenceNode
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(node_type, None, event.implicit)
        self.check_tag(event, tag)
        return Mapping(event.start_mark.line + 1) if is_mapping else Sequence(event.start_mark.line + 1)

    def place(self, frame: list, value: object, event) -> None:  # noqa: ANN001
        """Put a finished value into its parent: a sequence's next item, or a mapping's key, then its value."""
        container = frame[0]
        if isinstance(container, Sequence):
            container.item_lines.append(event.start_mark.line + 1 if not isinstance(value, (Mapping, Sequence)) else value.line)
            container.append(value)
        elif frame[1] is None:
            key, line = value
            if key in container:
                raise self.fail(event, f"duplicate key {key!r} (first at line {container.key_lines[key]})")
            container.key_lines[key] = line
            frame[1] = key
        else:
            container[frame[1]] = value
            frame[1] = None

    def scalar(self, event, key: bool) -> object:  # noqa: ANN001
        self.count(event)
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(self.yaml.ScalarNode, event.value, event.implicit)
            if not event.style:  # plain (unquoted): '' from libyaml, None from the pure-Python parser
                tag = _plain_tag(tag, event.value)
        self.check_tag(event, tag)
        if key:
            if tag != "tag:yaml.org,2002:str":
                raise self.fail(event, f"mapping keys must be text, not {event.value!r}")
            return (event.value, event.start_mark.line + 1)  # the key with its line, for Mapping.key_lines
        if tag == "tag:yaml.org,2002:timestamp":
            return event.value  # dates stay text: the loader checks them and names the field
        node = self.yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.loader.yaml_constructors[tag](self.loader, node)
        except (self.yaml.YAMLError, ValueError, OverflowError) as exc:
            shown = event.value if len(event.value) <= 60 else event.value[:60] + "…"
            raise self.fail(event, f"bad value {shown!r}: {exc}") from None

    def count(self, event) -> None:  # noqa: ANN001
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.fail(event, f"more than {MAX_NODES} values in one file")

    def check_tag(self, event, tag: str) -> None:  # noqa: ANN001
        if tag == "tag:yaml.org,2002:merge":
            raise self.fail(event, "YAML merge keys (<<) are not supported in catalogue files: write the fields out")
        if tag not in _SAFE_TAGS:
            raise self.fail(event, f"unsupported YAML tag {tag!r}: only plain values, lists and mappings")
