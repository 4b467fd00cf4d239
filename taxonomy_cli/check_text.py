"""`taxo check`, reading: which files, their text line by line, the sentences, the catalogue's models named in them
and what each sentence states about them (a claim). Judging the claims is check_judge.py.

Files are read one at a time, each only if it is a regular file of at most MAX_BYTES, UTF-8 and not binary;
anything else is one `Unreadable` and the run goes on. Nothing is ever written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
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
    if path.lower().endswith((".html", ".htm")):
        text = _TAG.sub(lambda m: " " * len(m.group()), text)  # tags blanked: lines and columns stay put
    return Article(path, tuple(text.splitlines()))


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
        if words is not None and words.isdisjoint(_TOKEN.findall(line.lower())):
            continue
        at = 0
        for match in _SENTENCE_END.finditer(line):
            if match.start() > at and (words is None or not words.isdisjoint(_TOKEN.findall(line[at : match.start()].lower()))):
                yield Sentence(number, at, line[at : match.start()])
            at = match.end()
        if at < len(line) and (words is None or not words.isdisjoint(_TOKEN.findall(line[at:].lower()))):
            yield Sentence(number, at, line[at:])


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
            n = 1
            while n < longest and i + n < len(tokens) and joined[i + n - 1]:
                n += 1
            for n in range(n, 0, -1):
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
        self.cue = {ident: _phrase(cue.words) for ident, cue in cues.items()}
        words = {ident: cue.words for ident, cue in cues.items()}
        self.after = {  # what the words right after a number say it is
            "tokens": _right_after(words.get("tokens", ("tokens",))),
            "active": _right_after(words.get("active-parameters", ("active",))),
            "parameters": _right_after(words.get("parameters", ("parameters",))),
            "model": _right_after(words.get("parameters", ("parameters",)), words.get("model-word", ("model",))),
        }
        made_by = words.get("made-by", ("by",))
        self.made_by_end = re.compile(r"(?<![\w])(?:" + _alternatives(made_by) + r")\s*$", re.IGNORECASE)
        self.kinds: list[tuple[ClaimCue, re.Pattern[str]]] = [
            (cue, self.cue[ident]) for ident, cue in cues.items() if cue.category or cue.architecture or cue.output
        ]
        organizations = {}
        for org in catalog.organizations.values():
            for name in (org.name, *org.aliases):
                if key := normalise(name):
                    organizations[key] = org.id
        self.organizations = organizations
        words = {name for org in catalog.organizations.values() for name in (org.name, *org.aliases)}
        self.organization_names = _phrase(sorted(words)) if words else None
        licences = {}
        for licence in catalog.licenses.values():
            for name in (licence.id, licence.name, *licence.aliases):
                if key := normalise(name):
                    licences[key] = licence.id
        self.licences = licences
        licence_words = {n for lic in catalog.licenses.values() for n in (lic.id, lic.name, *lic.aliases)
                         if len(normalise(n)) >= 3}  # fmt: skip
        self.licence_names = _phrase(sorted(licence_words)) if licence_words else None

    def debunks(self, text: str) -> bool:
        pattern = self.cue.get("debunk")
        return bool(pattern and pattern.search(text))

    def claims(self, sentence: str, mentions: list[Mention]) -> list[Claim]:
        """What the sentence states about the models it names (numbers, dates, maker, licence, kind)."""
        if not mentions:
            return []
        found: list[Claim] = []
        taken = [(m.start, m.end) for m in mentions]  # a number inside a name is the name ('Mistral 7B')

        def subject_of(at: int) -> Model | Family:
            before = [m for m in mentions if m.end <= at]
            return (before[-1] if before else min(mentions, key=lambda m: m.start)).record

        for match in _NUMBER.finditer(sentence):
            if any(s <= match.start() < e for s, e in taken):
                continue
            field = self._number_field(sentence, match)
            if field is None:
                continue
            value = _number_value(match.group(1), match.group(2), field)
            if value is not None:
                found.append(Claim(subject_of(match.start()), field, match.start(), match.end(), match.group(), value))
                taken.append((match.start(), match.end()))
        released = self.cue.get("released")
        if released and released.search(sentence):
            for match in _DATE.finditer(sentence):
                if any(s <= match.start() < e for s, e in taken):
                    continue
                date = _date_value(match)
                if date:
                    found.append(Claim(subject_of(match.start()), "released", match.start(), match.end(),
                                       match.group(), date))  # fmt: skip
                    break
        found += self._maker(sentence, mentions)
        found += self._licence(sentence, mentions)
        found += self._kinds(sentence, mentions)
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
        if cue("context-length", near) and (tokens_after or unit in ("k", "m", "thousand", "million", "")):
            return "context_length" if unit or tokens_after or int(match.group(1).replace(",", "").split(".")[0]) >= 512 else None
        if tokens_after and cue("training-tokens", sentence):
            return "training_tokens"
        if unit in ("t", "b", "m", "trillion", "billion", "million"):
            if self.after["active"].match(after) or cue("active-parameters", before[-12:]):
                return "active_parameters"
            if self.after["parameters"].match(after) or self.after["model"].match(after):
                return "parameters"
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

    def _licence(self, sentence: str, mentions: list[Mention]) -> list[Claim]:
        claims = []
        if self.licence_names:
            for match in self.licence_names.finditer(sentence):
                preceding = [m for m in mentions if m.end <= match.start()]
                if preceding:
                    claims.append(Claim(preceding[-1].record, "license", match.start(), match.end(), match.group(),
                                        self.licences.get(normalise(match.group()))))  # fmt: skip
        open_source = self.cue.get("open-source")
        for match in open_source.finditer(sentence) if open_source else ():
            near = [m for m in mentions if abs(m.start - match.start()) < 60]
            if near:
                closest = min(near, key=lambda m: abs(m.start - match.start()))
                claims.append(Claim(closest.record, "open_source", match.start(), match.end(), match.group(), True))
        return claims

    def _kinds(self, sentence: str, mentions: list[Mention]) -> list[Claim]:
        """'BERT is an LLM', 'LLMs such as GPT-4 and BERT', 'BERT generates text', 'DALL-E is a diffusion model'."""
        claims = []
        copula, listing = self.cue.get("copula"), self.cue.get("listing")
        for cue, pattern in self.kinds:
            for match in pattern.finditer(sentence):
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
