"""`taxo check`, reading: which files, their text line by line, the sentences, the catalogue's models named in them
and what each sentence states about them (a claim). Judging the claims is check_judge.py.

Files are read one at a time, each only if it is a regular file of at most MAX_BYTES, UTF-8 and not binary;
anything else is one `Unreadable` and the run goes on. Nothing is ever written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from taxonomy_cli.names import normalise
from taxonomy_cli.records import Catalog, ClaimCue, Family, Model

EXTENSIONS = (".md", ".markdown", ".txt", ".rst", ".html", ".htm")
MAX_BYTES = 8 * 1024 * 1024  # a larger file is not an article (each file is read whole, one at a time)
MAX_FILES = 100_000
MAX_NAME_WORDS = 6  # the longest name, in words, looked for ('Llama 3.1 405B Instruct')

_TOKEN = re.compile(r"\w+(?:[.,]\d+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[*_]?[A-Z0-9])")
_TAG = re.compile(r"<[^>\n]{0,2000}>")
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(trillion|billion|million|thousand|[TBMKk])?(?![\w])",
)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_DATE = re.compile(
    rf"(?<!\w)(?:(\d{{1,2}})\s+{_MONTH}\.?,?\s+((?:19|20)\d\d)|{_MONTH}\.?\s+(?:(\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?((?:19|20)\d\d)"
    r"|((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?|((?:19|20)\d\d))(?!\w)",
    re.IGNORECASE,
)
_SCALES = {"trillion": 10**12, "t": 10**12, "billion": 10**9, "b": 10**9, "million": 10**6, "m": 10**6,
           "thousand": 10**3, "k": 10**3}  # fmt: skip


class Unreadable(NamedTuple):
    path: str
    why: str


class Article(NamedTuple):
    path: str
    lines: tuple[str, ...]


class Mention(NamedTuple):
    start: int
    end: int
    record: Model | Family


class Claim(NamedTuple):
    """What one sentence states about one model or family: a field, the text that states it (its span in the line)
    and its value (a number, a date (year, month, day), an organisation id, a licence name, a category...)."""

    subject: Model | Family
    field: str
    start: int
    end: int
    text: str
    value: object


class Sentence(NamedTuple):
    line: int  # 1-based
    start: int  # column of its first character in the line, 0-based
    text: str


# -- which files ---------------------------------------------------------------------------------------------------


def articles(paths: Sequence[str], stdin: object = None) -> Iterator[Article | Unreadable]:
    """Each file named (a folder: its .md/.markdown/.txt/.rst/.html files, in name order), read, or why not."""
    count = 0
    for given in paths:
        if given == "-":
            yield _from_stdin(stdin)
            continue
        if os.path.isdir(given):
            found = sorted(_walk(given))
            if not found:
                yield Unreadable(given, f"no {', '.join(EXTENSIONS)} files in this folder")
        else:
            found = [given]
        for path in found:
            count += 1
            if count > MAX_FILES:
                yield Unreadable(path, f"more than {MAX_FILES:,} files: the rest are not read")
                return
            yield read_article(path)


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.lower().endswith(EXTENSIONS):
                yield os.path.join(root, name)


def read_article(path: str) -> Article | Unreadable:
    """A file's lines, or why it is not read: missing, not a regular file, too large, binary, not UTF-8."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        return Unreadable(path, "no such file")
    except OSError as exc:
        return Unreadable(path, f"cannot open it ({exc.strerror or exc})")
    try:
        with open(descriptor, "rb") as file:
            import stat

            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                return Unreadable(path, "not a regular file")
            if info.st_size > MAX_BYTES:
                return Unreadable(path, f"larger than {MAX_BYTES // (1024 * 1024)} MB: not read as an article")
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        return Unreadable(path, f"cannot read it ({exc.strerror or exc})")
    return _decode(path, data)


def _from_stdin(stdin: object) -> Article | Unreadable:
    import sys

    stream = stdin if stdin is not None else sys.stdin
    try:
        data = stream.buffer.read(MAX_BYTES + 1) if hasattr(stream, "buffer") else stream.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        return Unreadable("-", f"cannot read standard input ({exc})")
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return _decode("-", data or b"")


def _decode(path: str, data: bytes) -> Article | Unreadable:
    if len(data) > MAX_BYTES:
        return Unreadable(path, f"larger than {MAX_BYTES // (1024 * 1024)} MB: not read as an article")
    if b"\0" in data[:8192]:
        return Unreadable(path, "a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Unreadable(path, f"not UTF-8 text (byte {exc.start + 1})")
    lower = path.lower()
    if lower.endswith((".html", ".htm")):
        text = _TAG.sub(lambda m: " " * len(m.group()), _blank_html_code(text))  # tags blanked: lines and columns
        return Article(path, tuple(text.splitlines()))  # stay put
    lines = text.splitlines()
    return Article(path, tuple(_blank_rst_literals(lines) if lower.endswith(".rst") else _blank_fences(lines)))


# -- code is not prose: a linter of prose skips it (a comment in a shell example is no claim) ------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_TAGS = ("pre", "script", "style", "textarea")  # not inline <code>: a model id in running text is prose
_CODE_OPEN = re.compile(r"<(" + "|".join(_CODE_TAGS) + r")\b[^>\n]{0,2000}>", re.IGNORECASE)


def _blank_fences(lines: list[str]) -> list[str]:
    """Markdown's fenced code blocks (``` or ~~~, closed by the same fence or the end) as empty lines."""
    fence = None
    out = []
    for line in lines:
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
                out.append("")
            else:
                out.append(line)
            continue
        closing = match.group(1) if match else ""
        if closing[:1] == fence[0] and len(closing) >= len(fence) and not line.strip().strip(fence[0]):
            fence = None
        out.append("")
    return out


_RST_CODE = re.compile(r"\.\.\s+(?:code-block|code|sourcecode|highlight|raw|math|parsed-literal)::", re.IGNORECASE)


def _blank_rst_literals(lines: list[str]) -> list[str]:
    """reStructuredText's literal blocks (after a paragraph ending in '::', a code-block directive...) as empty
    lines: the indented lines that follow, up to a line indented no more than the one that opened the block."""
    out = []
    opener: int | None = None  # the indentation of the line that opened a literal block
    for line in lines:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if opener is not None and stripped:
            if indent > opener:
                out.append("")
                continue
            opener = None
        elif opener is not None:
            out.append("")
            continue
        out.append(line)
        if (stripped.endswith("::") and not stripped.startswith(".. _")) or _RST_CODE.match(stripped):
            opener = indent
    return out


def _blank_html_code(text: str) -> str:
    """The content of <pre>, <script>, <style> and <textarea> elements as spaces (newlines kept); an
    unclosed one runs to the end. One pass: each element's end is looked for once."""
    pieces = []
    at = 0
    lowered = text.lower()
    while True:
        match = _CODE_OPEN.search(text, at)
        if match is None:
            break
        close = lowered.find("</" + match.group(1).lower(), match.end())
        end = len(text) if close < 0 else close
        pieces.append(text[at : match.end()])
        pieces.append(re.sub(r"[^\n]", " ", text[match.end() : end]))
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


# -- sentences, mentions ---------------------------------------------------------------------------------------------


TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def sentences(article: Article, words: frozenset[str] | None = None) -> Iterator[Sentence]:
    """Each line's sentences, with where they start; a table row (a line starting with '|') is one sentence.
    With `words`, a line (not a table row) holding none of them (lower case) is skipped unread: most lines of most
    docs name no model, and this test runs at C speed."""
    for number, line in enumerate(article.lines, start=1):
        if not line.strip() or TABLE_RULE.match(line):
            continue
        if line.lstrip().startswith("|"):
            yield Sentence(number, 0, line)
            continue
        if words is not None and len(line) <= 20 * MAX_SENTENCE and words.isdisjoint(line_words(line)):
            continue  # (a longer line is gated sentence by sentence: its words at once could take much memory)
        at = 0
        for end in (*(m.start() for m in _SENTENCE_END.finditer(line)), len(line)):
            for start, stop in _pieces(line, at, end):
                if words is None or not words.isdisjoint(line_words(line[start:stop])):
                    yield Sentence(number, start, line[start:stop])
            at = end
            while at < len(line) and line[at].isspace():
                at += 1


MAX_SENTENCE = 1_000  # characters: a longer run without a sentence end is no prose; it is read in pieces


def _pieces(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A sentence's span, or, when it is longer than MAX_SENTENCE, pieces of it broken at spaces (so that no
    hostile line makes the work or a finding's quote grow with the square of its length)."""
    while end - start > MAX_SENTENCE:
        cut = line.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        yield start, cut
        start = cut
    if end > start:
        yield start, end


_SPACES = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\x7f" + "".join(map(chr, range(32)))})


def line_words(line: str) -> list[str]:
    """A line's words, lower case, split at spaces and ASCII punctuation: at C speed for an ASCII line (most lines
    of most docs), by the word pattern otherwise. Names and myths gate lines by the first token of their words
    split the same way (`gate_word`), so a line this skips holds none of them."""
    if line.isascii():
        return line.lower().translate(_SPACES).split()
    return [piece for word in _TOKEN.findall(line.lower()) for piece in word.translate(_SPACES).split()]


def gate_word(word: str) -> str:
    """The word a line must hold (as `line_words` splits it) when it holds `word`: its first piece."""
    pieces = line_words(word)
    return pieces[0] if pieces else word.lower()


def first_pieces(phrases: Sequence[str]) -> frozenset[str] | None:
    """The words (as `line_words` splits them) a text must hold to hold any of the phrases, or None when a
    phrase starts with no letter or digit (then every text may)."""
    firsts = set()
    for phrase in phrases:
        pieces = line_words(phrase)
        if not pieces or not phrase.lstrip()[:1].isalnum():
            return None
        firsts.add(pieces[0])
    return frozenset(firsts)


def _may(words: frozenset[str] | set[str], firsts: frozenset[str] | None) -> bool:
    return firsts is None or not firsts.isdisjoint(words)


def _key(words: Sequence[str]) -> str:
    """The words of a name run together, case-folded: 'Llama 3.1 8B' -> 'llama3.18b' (as text is looked up)."""
    return "".join(words).casefold()


class Names:
    """The catalogue's model and family names, for finding them in text: keyed by their words run together, and by
    their first word, so that a word that starts no name costs one set lookup and a candidate one dict lookup."""

    def __init__(self, index: Mapping[str, Model | Family], common: frozenset[str] = frozenset()) -> None:
        self.keys: dict[str, Model | Family] = {}
        self.first: dict[str, int] = {}  # a name's first word (case-folded) -> the most words a name starting so has
        self.gates: set[str] = set()  # for each name, its first word that is not a common one: a line must hold one
        seen: set[int] = set()
        for key, record in index.items():
            if id(record) in seen:
                continue
            seen.add(id(record))
            names = (record.id, record.name, *record.aliases, *getattr(record, "hf_repos", ()),
                     *getattr(record, "api_ids", ()))  # fmt: skip
            for name in names:
                words = _TOKEN.findall(name)
                if not words or len(words) > MAX_NAME_WORDS:
                    continue
                if index.get(normalise(name)) is record:  # the name leads to this record (a model wins over a family)
                    self.keys.setdefault(_key(words), record)
                first = words[0].casefold()
                self.first[first] = max(self.first.get(first, 0), len(words))
                folded = [w.casefold() for w in words]
                self.gates.add(next((w for w in folded if w not in common), "".join(folded)))  # all common: the
                # whole name run together, which no line's words are (such a name is found beside another)
        for key, record in index.items():  # 'Llama 3 family': the index's own keys, by their first word too
            if key.endswith("family") and key not in self.keys:
                self.keys[key] = record

    def mentions(self, text: str) -> list[Mention]:
        """Every name in the text, longest first where names overlap ('Llama 3 8B', not 'Llama 3')."""
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        firsts = self.first
        found: list[Mention] = []
        i = 0
        joined: list[bool] | None = None
        while i < len(tokens):
            longest = firsts.get(tokens[i][2].casefold(), 0)
            if not longest:
                i += 1
                continue
            if joined is None:  # whether each word may run on into the next as one name
                joined = [_joinable(text[tokens[k][1] : tokens[k + 1][0]]) for k in range(len(tokens) - 1)]
            match = None
            most = 1
            while most < longest and i + most < len(tokens) and joined[i + most - 1]:
                most += 1
            for n in range(most, 0, -1):
                record = self.keys.get(_key(t[2] for t in tokens[i : i + n]))
                if record is not None:
                    start, end = tokens[i][0], tokens[i + n - 1][1]
                    if self._spelled(record, text[start:end]):
                        match = (n, Mention(start, end, record))
                        break
            if match:
                found.append(match[1])
                i += match[0]
            else:
                i += 1
        return found

    @staticmethod
    def _spelled(record: Model | Family, written: str) -> bool:
        """A short name that is also a word ('SAM' and Sam, 'CLIP' and a clip) counts only in its own spelling."""
        bare = _NON_WORD.sub("", written)
        if len(bare) > 4 or any(c.isdigit() for c in bare):
            return True
        return any(_NON_WORD.sub("", n) == bare for n in (record.id, record.name, *record.aliases))


def _joinable(between: str) -> bool:
    """Whether two words of a name may be separated by this text: spaces, dashes, dots, slashes, underscores."""
    return len(between) <= 3 and all(c in " -–_./:" for c in between)


# -- what a sentence states ------------------------------------------------------------------------------------------


def _alternatives(words: Sequence[str]) -> str:
    """A regex of any of the words or phrases (longest first), spaces in them matching spaces or dashes."""
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"[\s\-]+") for w in words), key=len, reverse=True))


def _phrase(words: Sequence[str]) -> re.Pattern[str]:
    """Any of the cue's words or phrases, whole, case-insensitively."""
    return re.compile(r"(?<![\w])(?:" + _alternatives(words) + r")(?![\w])", re.IGNORECASE)


def _right_after(*groups: Sequence[str]) -> re.Pattern[str]:
    """Words right after a number: each group in turn (all but the last optional), whole words."""
    parts = [r"(?:(?:" + _alternatives(g) + r")[\s\-]*)?" for g in groups[:-1]]
    return re.compile(r"[\s\-]*" + "".join(parts) + r"(?:" + _alternatives(groups[-1]) + r")(?![\w])",
                      re.IGNORECASE)  # fmt: skip


_NON_WORD = re.compile(r"\W")
_APPOSITIVE = re.compile(r"[\s*_]*(?:[—–:,(]|\s-\s)\s*(?:an?|the|one of the)\b")


class Reader:
    """Finds claims in sentences with the catalogue's cue words (catalog/check.yaml)."""

    def __init__(self, catalog: Catalog, names: Names) -> None:
        self.catalog = catalog
        self.names = names
        cues = catalog.cues
        self.cue = {ident: _phrase(cue.words) for ident, cue in cues.items() if cue.words}
        words = {ident: cue.words for ident, cue in cues.items()}
        self.after = {  # what the words right after a number say it is
            "tokens": _right_after(words.get("tokens", ("tokens",))),
            "active": _right_after(words.get("active-parameters", ("active",))),
            "parameters": _right_after(words.get("parameters", ("parameters",))),
            "model": _right_after(words.get("parameters", ("parameters",)), words.get("model-word", ("model",))),
        }
        compared = words.get("comparison", ())
        self.compared_anywhere = _phrase(compared) if compared else None
        part = words.get("part-of-model", ())
        self.part_before = re.compile(r"(?<![\w])(?:" + _alternatives(part) + r")\b[^.;]{0,12}$",
                                      re.IGNORECASE) if part else None  # fmt: skip
        self.part_after = re.compile(r"[\s\-]*(?:" + _alternatives(part) + r")(?![\w])",
                                     re.IGNORECASE) if part else None  # fmt: skip
        self.active_after = re.compile(r"[\s\-,]*(?:" + _alternatives(words.get("active-parameters", ("active",)))
                                       + r")(?![\w])", re.IGNORECASE)  # fmt: skip
        context = words.get("context-length", ("context",))
        self.context_before = re.compile(r"(?<![\w])(?:" + _alternatives(context) + r")[\s:=]*(?:(?:of|is|was|"
                                         r"up to|to|at)\s+)?(?:(?:about|around|roughly|approximately|over|up to)\s+)?$",
                                         re.IGNORECASE)  # fmt: skip
        made_by = words.get("made-by", ("by",))
        self.made_by_end = re.compile(r"(?<![\w])(?:" + _alternatives(made_by) + r")\s*$", re.IGNORECASE)
        self.kinds: list[tuple[ClaimCue, re.Pattern[str], frozenset[str] | None]] = [
            (cue, self.cue[ident], first_pieces(cue.words)) for ident, cue in cues.items()
            if cue.category or cue.architecture or cue.output
        ]  # fmt: skip
        self.open_source_firsts = first_pieces(words.get("open-source", ()))
        organizations = {}
        for org in catalog.organizations.values():
            for name in (org.name, *org.aliases):
                if key := normalise(name):
                    organizations[key] = org.id
        self.organizations = organizations
        words = {name for org in catalog.organizations.values() for name in (org.name, *org.aliases)}
        self.organization_names = _phrase(sorted(words)) if words else None
        self.organization_firsts = first_pieces(sorted(words))
        licences = {}
        for licence in catalog.licenses.values():
            for name in (licence.id, licence.name, *licence.aliases):
                if key := normalise(name):
                    licences[key] = licence.id
        self.licences = licences
        licence_words = {n for lic in catalog.licenses.values() for n in (lic.id, lic.name, *lic.aliases)
                         if len(normalise(n)) >= 3}  # fmt: skip
        self.licence_names = _phrase(sorted(licence_words)) if licence_words else None
        self.licence_firsts = first_pieces(sorted(licence_words))

    def compared(self, sentence: str, mention: Mention, since: int = 0) -> bool:
        """Whether a name is brought in for comparison ('smaller than BERT', 'up from GPT-4', 'unlike GPT-3',
        'doubled the context of LLaMA'): a comparison word in the 30 characters before it (after `since`)."""
        pattern = self.compared_anywhere
        return bool(pattern and pattern.search(sentence, max(since, mention.start - 30), mention.start))

    def debunks(self, text: str) -> bool:
        pattern = self.cue.get("debunk")
        return bool(pattern and pattern.search(text))

    def claims(self, sentence: str, mentions: list[Mention]) -> list[Claim]:
        """What the sentence states about the models it names (numbers, dates, maker, licence, kind)."""
        if not mentions:
            return []
        found: list[Claim] = []
        taken = [(m.start, m.end) for m in mentions]  # a number inside a name is the name ('Mistral 7B')

        def subject_of(at: int) -> Model | Family | None:
            """The model a figure at `at` is about: the last one named before it ('GPT-4's 8K': GPT-4), or none
            where a comparison comes between ('40% smaller than BERT-Base, with 66M': DistilBERT's or BERT's?)."""
            before = [m for m in mentions if m.end <= at]
            if not before:
                return min(mentions, key=lambda m: m.start).record
            last = before[-1]
            if sentence.startswith(("'s", "’s"), last.end) and at - last.end <= 6:
                return last.record
            if self.compared(sentence, last, before[-2].end if len(before) > 1 else 0) or (
                    self.compared_anywhere and self.compared_anywhere.search(sentence, last.end, at)):
                return None  # whose figure, the subject's or the other model's? Say nothing
            return last.record

        for match in _NUMBER.finditer(sentence):
            if any(s <= match.start() < e for s, e in taken):
                continue
            field = self._number_field(sentence, match)
            if field is None:
                continue
            value = _number_value(match.group(1), match.group(2), field)
            subject = subject_of(match.start())
            if value is not None and subject is not None:
                found.append(Claim(subject, field, match.start(), match.end(), match.group(), value))
                taken.append((match.start(), match.end()))
        released = self.cue.get("released")
        if released and released.search(sentence):
            for match in _DATE.finditer(sentence):
                if any(s <= match.start() < e for s, e in taken):
                    continue
                date = _date_value(match)
                subject = subject_of(match.start())
                named = [m for m in mentions if m.end <= match.start()]
                document = self.cue.get("document")
                if document and document.search(sentence, named[-1].end if named else 0, match.start()):
                    continue  # 'BLOOM's paper came out in November 2022': a paper's date, not the model's
                if date and subject is not None:
                    found.append(Claim(subject, "released", match.start(), match.end(), match.group(), date))
                    break
        words = set(line_words(sentence))  # the costlier searches run only where their words are
        if _may(words, self.organization_firsts):
            found += self._maker(sentence, mentions)
        found += self._licence(sentence, mentions, words)
        found += self._kinds(sentence, mentions, words)
        return found

    def columns(self, row: str) -> list[str | None]:
        """What fact each column of a table states, from its heading (catalog/check.yaml `column-…` cues)."""
        fields = []
        for cell in _cells(row):
            heading = cell[2].strip()
            field = None
            for name in ("parameters", "context-length", "training-tokens", "released", "organization", "license"):
                pattern = self.cue.get(f"column-{name}")
                if pattern and pattern.fullmatch(heading.strip("*_ ")):
                    field = name.replace("-", "_")
                    break
            fields.append(field)
        return fields

    def row_claims(self, row: str, fields: list[str | None], mentions: list[Mention]) -> list[Claim]:
        """A table row's claims: each cell under a heading that names a fact, about the model the row names."""
        if not mentions:
            return []
        subject = mentions[0].record
        claims = []
        for (start, end, cell), field in zip(_cells(row), fields):
            if field is None or any(start <= m.start < end for m in mentions):
                continue
            if field in ("parameters", "context_length", "training_tokens"):
                match = _NUMBER.search(cell)
                if match and (match.group(2) or field == "context_length"):
                    value = _number_value(match.group(1), match.group(2), field)
                    if value:
                        claims.append(Claim(subject, field, start + match.start(), start + match.end(),
                                            match.group(), value))  # fmt: skip
            elif field == "released":
                match = _DATE.search(cell)
                if match and (date := _date_value(match)):
                    claims.append(Claim(subject, field, start + match.start(), start + match.end(), match.group(), date))
            elif field == "organization" and self.organization_names:
                match = self.organization_names.search(cell)
                if match and (org := self.organizations.get(normalise(match.group()))):
                    claims.append(Claim(subject, field, start + match.start(), start + match.end(), match.group(), org))
            elif field == "license" and self.licence_names:
                match = self.licence_names.search(cell)
                if match:
                    claims.append(Claim(subject, field, start + match.start(), start + match.end(), match.group(),
                                        self.licences.get(normalise(match.group()))))  # fmt: skip
        return claims

    def _number_field(self, sentence: str, match: re.Match[str]) -> str | None:
        """Which fact a number states, from the words right after it (and just before it)."""
        unit = (match.group(2) or "").lower()
        after = sentence[match.end() : match.end() + 40]
        before = sentence[max(0, match.start() - 60) : match.start()]
        near = before[-25:] + " " + after[:30]

        def cue(name: str, text: str) -> bool:
            pattern = self.cue.get(name)
            return bool(pattern and pattern.search(text))

        tokens_after = self.after["tokens"].match(after)
        if not unit and not tokens_after:  # a bare number: only a context window, right after the words
            bare = match.group(1)
            year = len(bare) == 4 and bare[:2] in ("19", "20")
            return "context_length" if not year and self.context_before.search(before) else None
        if cue("context-length", near) and (tokens_after or unit in ("k", "m", "thousand", "million", "")):
            if unit or tokens_after:
                return "context_length"
            # a bare number is a context window only right after the words ('a context window of 4,096'), and a
            # year never is ('released in December 2023, reads a 32K context')
            bare = match.group(1)
            year = len(bare) == 4 and bare[:2] in ("19", "20")
            return "context_length" if not year and self.context_before.search(before) else None
        if tokens_after and cue("training-tokens", sentence):
            return "training_tokens"
        if unit in ("t", "b", "m", "trillion", "billion", "million"):
            if self.part_before and (self.part_before.search(before) or self.part_after.match(after)):
                return None  # a part of the model: 'eight experts, each with about 7B parameters'
            if self.after["active"].match(after) or cue("active-parameters", before[-12:]):
                return "active_parameters"
            said = self.after["parameters"].match(after) or self.after["model"].match(after)
            if said:
                rest = after[said.end() :]
                if self.part_after and self.part_after.match(rest):
                    return None  # '7B parameters per expert'
                return "active_parameters" if self.active_after.match(rest) else "parameters"  # '13B parameters
            #   per token' is the active count
        return None

    def _maker(self, sentence: str, mentions: list[Mention]) -> list[Claim]:
        """'Llama 2 by Salesforce', 'Salesforce's Llama 2', 'developed by Salesforce'."""
        if not self.organization_names:
            return []
        claims = []
        for match in self.organization_names.finditer(sentence):
            org = self.organizations.get(normalise(match.group()))
            if org is None:
                continue
            after = sentence[match.end() : match.end() + 3]
            before = sentence[max(0, match.start() - 25) : match.start()]
            if after.startswith(("'s ", "’s ")):
                following = [m for m in mentions if 0 <= m.start - match.end() <= 4]
                if following:
                    claims.append(Claim(following[0].record, "organization", match.start(), match.end(),
                                        match.group(), org))  # fmt: skip
            elif self.made_by_end.search(before):
                preceding = [m for m in mentions if m.end <= match.start()]
                if preceding:
                    claims.append(Claim(preceding[-1].record, "organization", match.start(), match.end(),
                                        match.group(), org))  # fmt: skip
        return claims

    def _licence(self, sentence: str, mentions: list[Mention], words: set[str]) -> list[Claim]:
        claims = []
        if self.licence_names and _may(words, self.licence_firsts):
            for match in self.licence_names.finditer(sentence):
                preceding = [m for m in mentions if m.end <= match.start()]
                if preceding:
                    claims.append(Claim(preceding[-1].record, "license", match.start(), match.end(), match.group(),
                                        self.licences.get(normalise(match.group()))))  # fmt: skip
        open_source = self.cue.get("open-source")
        for match in open_source.finditer(sentence) if open_source and _may(words, self.open_source_firsts) else ():
            near = [m for m in mentions if abs(m.start - match.start()) < 60]
            if near:
                closest = min(near, key=lambda m: abs(m.start - match.start()))
                claims.append(Claim(closest.record, "open_source", match.start(), match.end(), match.group(), True))
        return claims

    def _kinds(self, sentence: str, mentions: list[Mention], words: set[str]) -> list[Claim]:
        """'BERT is an LLM', 'LLMs such as GPT-4 and BERT', 'BERT generates text', 'DALL-E is a diffusion model'."""
        claims = []
        copula, listing = self.cue.get("copula"), self.cue.get("listing")
        for cue, pattern, firsts in self.kinds:
            for match in pattern.finditer(sentence) if _may(words, firsts) else ():
                field = "category" if cue.category else "architecture" if cue.architecture else "output"
                value = cue.category or cue.architecture or cue.output
                subjects = []
                preceding = [m for m in mentions if m.end <= match.start()]
                if preceding:
                    between = sentence[preceding[-1].end : match.start()]
                    appositive = _APPOSITIVE.match(between)
                    if len(between) <= 40 and (field == "output" or appositive or (copula and copula.search(between))):
                        subjects.append(preceding[-1])
                following = [m for m in mentions if m.start >= match.end()]
                if following and listing and listing.match(sentence[match.end() :].lstrip(" ,:(")):
                    run_end = match.end()
                    for mention in following:  # 'LLMs such as GPT-4, BERT and T5': the whole list
                        if len(sentence[run_end : mention.start]) > 30:
                            break
                        subjects.append(mention)
                        run_end = mention.end
                for mention in subjects:
                    claims.append(Claim(mention.record, field, match.start(), match.end(), match.group(), value))
        return claims


def _cells(row: str) -> list[tuple[int, int, str]]:
    """A table row's cells: (start, end, text), the pipes left out."""
    cells, at = [], row.find("|") + 1 if row.lstrip().startswith("|") else 0
    while at <= len(row):
        end = row.find("|", at)
        end = len(row) if end < 0 else end
        if end > at or end < len(row):
            cells.append((at, end, row[at:end]))
        at = end + 1
    if cells and not cells[-1][2].strip():
        cells.pop()
    return cells


def _number_value(digits: str, unit: str | None, field: str) -> int | None:
    try:
        number = float(digits.replace(",", ""))
    except ValueError:
        return None
    scale = _SCALES.get((unit or "").lower(), 1)
    if field == "context_length" and not unit and number < 100:
        return None
    return int(number * scale)


def _date_value(match: re.Match[str]) -> tuple[int, int | None, int | None] | None:
    """(year, month or None, day or None) of a date as people write it."""
    groups = match.groups()
    try:
        if groups[0]:  # 14 March 2023
            return int(groups[2]), _month(groups[1]), int(groups[0])
        if groups[3]:  # March 14, 2023 / March 2023
            return int(groups[5]), _month(groups[3]), int(groups[4]) if groups[4] else None
        if groups[6]:  # 2023-03-14 / 2023-03
            return int(groups[6]), int(groups[7]), int(groups[8]) if groups[8] else None
        if groups[9]:  # 2023
            return int(groups[9]), None, None
    except (TypeError, ValueError):
        return None
    return None


def _month(text: str) -> int | None:
    text = text.lower()
    return next((n for n, name in enumerate(_MONTHS, start=1) if name.startswith(text[:3])), None)
