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


def sentences(article: Article) -> Iterator[Sentence]:
    """Each line's sentences, with where they start; a table row (a line starting with '|') is one sentence."""
    for number, line in enumerate(article.lines, start=1):
        if not line.strip() or TABLE_RULE.match(line):
            continue
        if line.lstrip().startswith("|"):
            yield Sentence(number, 0, line)
            continue
        at = 0
        for match in _SENTENCE_END.finditer(line):
            if match.start() > at:
                yield Sentence(number, at, line[at : match.start()])
            at = match.end()
        if at < len(line):
            yield Sentence(number, at, line[at:])


class Names:
    """The catalogue's model and family names, for finding them in text: by the first word of each name, so that a
    word that starts no name costs one set lookup."""

    def __init__(self, index: Mapping[str, Model | Family]) -> None:
        self.index = index
        self.first: dict[str, int] = {}  # a name's first word (lower case) -> the most words a name starting so has
        seen: set[int] = set()
        for record in index.values():
            if id(record) in seen:
                continue
            seen.add(id(record))
            names = (record.id, record.name, *record.aliases, *getattr(record, "hf_repos", ()),
                     *getattr(record, "api_ids", ()))  # fmt: skip
            for name in names:
                words = _TOKEN.findall(name)
                if words:
                    first = words[0].lower()
                    self.first[first] = min(max(self.first.get(first, 0), len(words)), MAX_NAME_WORDS)

    def mentions(self, text: str) -> list[Mention]:
        """Every name in the text, longest first where names overlap ('Llama 3 8B', not 'Llama 3')."""
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            longest = self.first.get(tokens[i][2].lower(), 0)
            match = None
            for n in range(min(longest + 1, len(tokens) - i), 0, -1):
                start, end = tokens[i][0], tokens[i + n - 1][1]
                if any(not _joinable(text[tokens[k][1] : tokens[k + 1][0]]) for k in range(i, i + n - 1)):
                    continue
                key = normalise(text[start:end])
                record = self.index.get(key)
                if record is not None and len(key) <= 4 and not any(c.isdigit() for c in key):
                    # a short name that is also a word ('SAM' and Sam, 'CLIP' and a clip): its own spelling only
                    exact = re.sub(r"\W", "", text[start:end])
                    if not any(re.sub(r"\W", "", n) == exact for n in (record.id, record.name, *record.aliases)):
                        record = None
                if record is not None:
                    match = (n, Mention(start, end, record))
                    break
            if match:
                found.append(match[1])
                i += match[0]
            else:
                i += 1
        return found


def _joinable(between: str) -> bool:
    """Whether two words of a name may be separated by this text: spaces, dashes, dots, slashes, underscores."""
    return len(between) <= 3 and all(c in " -–_./:" for c in between)


# -- what a sentence states ------------------------------------------------------------------------------------------


def _phrase(words: Sequence[str]) -> re.Pattern[str]:
    """Any of the cue's words or phrases, whole, case-insensitively."""
    alternatives = sorted((re.escape(w).replace(r"\ ", r"[\s\-]+") for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)


class Reader:
    """Finds claims in sentences with the catalogue's cue words (catalog/check.yaml)."""

    def __init__(self, catalog: Catalog, names: Names) -> None:
        self.catalog = catalog
        self.names = names
        cues = catalog.cues
        self.cue = {ident: _phrase(cue.words) for ident, cue in cues.items()}
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

        tokens_after = re.match(r"[\s\-]*(?:tokens?)\b", after, re.IGNORECASE)
        if cue("context-length", near) and (tokens_after or unit in ("k", "m", "thousand", "million", "")):
            return "context_length" if unit or tokens_after or int(match.group(1).replace(",", "").split(".")[0]) >= 512 else None
        if tokens_after and cue("training-tokens", sentence):
            return "training_tokens"
        if unit in ("t", "b", "m", "trillion", "billion", "million"):
            if re.match(r"[\s\-]*(?:active|activated)\b", after, re.IGNORECASE) or cue("active-parameters", before[-12:]):
                return "active_parameters"
            if re.match(r"[\s\-]*(?:total\s+)?(?:parameters?|params?)\b", after, re.IGNORECASE):
                return "parameters"
            if re.match(r"[\s\-]*(?:parameters?|params?)?[\s\-]*(?:model|LLM|SLM|network)\b", after, re.IGNORECASE):
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
            made_by = self.cue.get("made-by")
            if after.startswith(("'s ", "’s ")):
                following = [m for m in mentions if 0 <= m.start - match.end() <= 4]
                if following:
                    claims.append(Claim(following[0].record, "organization", match.start(), match.end(),
                                        match.group(), org))  # fmt: skip
            elif made_by and re.search(r"(?:" + made_by.pattern + r")\s*$", before, re.IGNORECASE):
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
                    appositive = re.match(r"[\s*_]*(?:[—–:,(]|\s-\s)\s*(?:an?|the|one of the)\b", between)
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
