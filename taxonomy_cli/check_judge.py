"""`taxo check`, judging: each claim an article makes against the catalogue, with tolerance for how people write.

A finding is only made where the catalogue knows: a claim it can contradict (`wrong`), a figure the maker never
disclosed (`unsupported`), one close but off (`imprecise`), or a placement the sources disagree on (`contested`).
A right claim, a model or field the catalogue does not record, and a sentence that reports a claim to debunk it
make no finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from taxonomy_cli import queries
from taxonomy_cli.check_text import TABLE_RULE, Article, Claim, Names, Reader, gate_word, sentences
from taxonomy_cli.phrases import compile_phrase, first_words
from taxonomy_cli.records import Catalog, Family, Model, Myth, Quantity, Status
from taxonomy_cli.units import short_context, short_count
from taxonomy_cli.wording import short_name, with_article

_TOLERANCE_CUES = {"parameters": "parameters", "active_parameters": "active-parameters",
                   "context_length": "context-length", "training_tokens": "training-tokens"}  # fmt: skip
_WORDS = re.compile(r"[^\W_]+")
# Typographic dashes, spaces and apostrophes read as the plain ones, one character for one (columns stay true).
_PLAIN = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " ",
                        "\u2009": " ", "\u2007": " ", "\u2019": "'"})  # fmt: skip
FIELD_NAMES = {"parameters": "parameter count", "active_parameters": "active parameters", "context_length": "context window",
          "training_tokens": "training data", "released": "release date", "organization": "maker",
          "license": "licence", "open_source": "licence", "category": "category", "architecture": "architecture",
          "output": "output", "myth": "myth"}  # fmt: skip


class Finding(NamedTuple):
    line: int
    column: int  # 1-based, where the claim starts
    end: int  # 1-based column just after it
    quote: str  # the sentence
    subject: str  # catalogue id
    field: str
    claimed: str
    fact: str
    verdict: str
    why: str
    myth: str | None
    sources: tuple[str, ...]
    sentence_start: int = 0  # 0-based column where the quoted sentence starts in its line


def myth_gate_word(pattern: str, common: frozenset[str]) -> str:
    """The word of a myth's pattern a sentence must hold for the pattern to match in it: its first word that is not
    all common words ('all|every Gemma 3 model' -> 'Gemma'), so that the pattern is tried only in the few
    sentences that can hold it."""
    words = [w for w in pattern.split() if w != "*"]
    return next((w for w in words if not all(lead in common for lead in first_words(w))), words[0])


def _gate(word: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """For each alternative of a gate word: its leading letters or digits (the key a sentence's words are looked
    up by) and all its letter-and-digit runs ('GPT-4' -> 'gpt', {'gpt', '4'}), which the sentence must hold too:
    'GPT-4' is not tried where only 'GPT-4o' is written."""
    gates = []
    for alternative, lead in zip(word.split("|"), first_words(word)):
        runs = frozenset(_WORDS.findall(alternative.lower()))
        gates.append((lead, runs if lead in runs else frozenset()))
    return tuple(gates)


MAX_SENTENCES = 20_000  # per file, read for claims: a file whose lines name models more often is no article


class _Facts(dict):
    """A finding's facts; a fact its wording names but this finding does not have reads as '?'."""

    def __missing__(self, key: str) -> str:
        return "?"


class Cut(NamedTuple):
    """The end of a file's findings when the file was not read to its end, and why."""

    why: str


class Checker:
    """Everything needed to check articles against one catalogue, built once per run."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        common = frozenset(w.casefold() for w in catalog.cues["common-words"].words) if "common-words" in catalog.cues else frozenset()
        self.reader = Reader(catalog, Names(queries.name_index(catalog), common))
        self.licences: dict[str, object] = {}  # model id -> its License (or None), as asked for
        # a pattern's gate word (each alternative's lead) -> the myth, the pattern and the runs the sentence must hold
        self.myths: dict[str, list[tuple[Myth, object, frozenset[str]]]] = {}
        for myth in catalog.myths.values():
            for pattern in myth.patterns:
                compiled = compile_phrase(pattern)
                for lead, runs in _gate(myth_gate_word(pattern, common)):
                    self.myths.setdefault(lead, []).append((myth, compiled, runs))
        # The words a line must hold for anything in it to be looked at: a name's first word, a myth's first word.
        self.words = frozenset(gate_word(w) for w in (*self.reader.names.gates, *self.myths))

    def findings(self, article: Article) -> Iterator[Finding | Cut]:
        """Each finding of an article, in reading order; a Cut last when the article is too dense to read whole."""
        columns: list[str | None] | None = None  # the current table's fields, by column
        for count, sentence in enumerate(sentences(article, self.words)):
            if count == MAX_SENTENCES:
                yield Cut(f"more than {MAX_SENTENCES:,} sentences or table rows name models: read up to line "
                          f"{sentence.line - 1:,}")  # fmt: skip
                return
            text = sentence.text if sentence.text.isascii() else sentence.text.translate(_PLAIN)  # read; quoted as is
            is_row = text.lstrip().startswith("|")
            if is_row and sentence.line < len(article.lines) and TABLE_RULE.match(article.lines[sentence.line]):
                columns = self.reader.columns(text)  # a heading row: the next line is |---|
                continue
            if not is_row:
                columns = None
            if self.reader.debunks(text):
                continue
            found: list[Finding] = []
            spans: list[tuple[int, int]] = []
            held = set(_WORDS.findall(text.lower()))
            candidates = {id(p): (m, p) for w in held for m, p, runs in self.myths.get(w, ()) if runs <= held}
            for myth, pattern in candidates.values():
                match = pattern.search(text)
                if match and not any(s < match.end() and match.start() < e for s, e in spans):
                    spans.append((match.start(), match.end()))
                    found.append(self._myth(sentence, match, myth))
            mentions = self.reader.names.mentions(text)
            claims = self.reader.row_claims(text, columns, mentions) if is_row and columns else []
            for claim in claims or self.reader.claims(text, mentions):
                if any(s < claim.end and claim.start < e for s, e in spans):
                    continue  # the myth already says it
                finding = self._judge(sentence, claim)
                if finding is not None:
                    found.append(finding)
            yield from sorted(found, key=lambda f: f.column)

    def _myth(self, sentence, match, myth: Myth) -> Finding:  # noqa: ANN001 - Sentence, re.Match
        start = sentence.start + match.start()
        return Finding(sentence.line, start + 1, sentence.start + match.end() + 1, sentence.text,
                       myth.about[0], "myth", match.group(), myth.correction, myth.verdict,
                       f"a known myth: {myth.claim}", myth.id, myth.sources, sentence.start)  # fmt: skip

    def _judge(self, sentence, claim: Claim) -> Finding | None:  # noqa: ANN001 - Sentence
        judged = self._verdict(claim)
        if judged is None:
            return None
        verdict, fact, why, sources = judged
        start = sentence.start + claim.start
        return Finding(sentence.line, start + 1, sentence.start + claim.end + 1, sentence.text, claim.subject.id,
                       claim.field, claim.text, fact, verdict, why, None, tuple(sources), sentence.start)  # fmt: skip

    # -- one claim -------------------------------------------------------------------------------------------

    def _verdict(self, claim: Claim) -> tuple[str, str, str, tuple[str, ...]] | None:
        subject = claim.subject
        if isinstance(subject, Family):
            return self._family(claim, subject)
        if claim.field in _TOLERANCE_CUES:
            return self._quantity(claim, subject, getattr(subject, claim.field))
        return getattr(self, f"_{claim.field}")(claim, subject)

    def _quantity(self, claim: Claim, model: Model, quantity: Quantity | None):  # noqa: ANN202
        if quantity is None:
            return None  # the catalogue does not record it: say nothing
        name = FIELD_NAMES[claim.field]
        show = short_context if claim.field == "context_length" else short_count
        if quantity.status is Status.UNDISCLOSED or quantity.value is None:
            return ("unsupported", f"undisclosed by {self._maker(model)}",
                    self._says("undisclosed", model, field=name), quantity.sources)  # fmt: skip
        values = [quantity.value, *(a.value for a in quantity.alternatives if a.value)]
        off = min(abs(claim.value - value) / value for value in values)
        cue = self.catalog.cues.get(_TOLERANCE_CUES[claim.field])
        right = (cue.right_within if cue and cue.right_within is not None else 10) / 100
        close = (cue.imprecise_within if cue and cue.imprecise_within is not None else 30) / 100
        if off <= right:
            return None
        fact = f"{show(quantity.value)} ({quantity.status.value})" + "".join(
            f" or {show(a.value)} ({a.status.value})" for a in quantity.alternatives if a.value)  # fmt: skip
        verdict = "imprecise" if off <= close else "wrong"
        nearest = min(values, key=lambda value: abs(claim.value - value))
        ratio = claim.value / nearest
        how = (f"{ratio:.0f}× too high" if ratio >= 2 else f"{1 / ratio:.0f}× too low" if ratio <= 0.5
               else f"{off:.0%} off")  # fmt: skip
        return (verdict, fact, self._says("figure", model, field=name, fact=fact, said=claim.text.strip(), how=how),
                quantity.sources)  # fmt: skip

    def _released(self, claim: Claim, model: Model):  # noqa: ANN202
        if model.released is None:
            return None
        parts = [int(p) for p in model.released.date.split("-")]
        actual = (parts + [None, None])[:3]
        year, month, day = claim.value
        fact = model.released.date
        months = lambda y, m: y * 12 + (m or 1)  # noqa: E731
        if year != actual[0]:
            close = month and actual[1] and abs(months(year, month) - months(actual[0], actual[1])) <= 1
            verdict = "imprecise" if close else "wrong"
        elif month and actual[1] and month != actual[1]:
            verdict = "imprecise" if abs(month - actual[1]) <= 1 else "wrong"
        elif day and actual[2] and day != actual[2]:
            verdict = "imprecise" if abs(day - actual[2]) <= 7 else "wrong"
        else:
            return None
        return verdict, fact, self._says("released", model, fact=fact), model.released.sources

    def _organization(self, claim: Claim, model: Model):  # noqa: ANN202
        related = {model.organization}
        orgs = self.catalog.organizations
        current = orgs[model.organization].parent if model.organization in orgs else None
        while current and current not in related:
            related.add(current)
            current = orgs[current].parent if current in orgs else None
        related |= {o.id for o in orgs.values() if o.parent == model.organization}
        if claim.value in related:
            return None
        return ("wrong", self._maker(model), self._says("maker", model, said=orgs[claim.value].name),
                model.sources[:1])  # fmt: skip

    def _license(self, claim: Claim, model: Model):  # noqa: ANN202
        licence = self._license_of(model)
        if model.license is None:
            return ("wrong", f"weights {model.weights.value}: no licence", self._says("no-licence", model),
                    model.sources[:1])  # fmt: skip
        if licence is not None and claim.value == licence.id:
            return None
        if licence is None and claim.value is None:
            return None
        return ("wrong", model.license, self._says("licence", model, fact=model.license, said=claim.text),
                licence.sources if licence else model.sources[:1])  # fmt: skip

    def _open_source(self, claim: Claim, model: Model):  # noqa: ANN202
        if model.weights.value in ("api", "unreleased"):
            return "wrong", f"weights {model.weights.value}", self._says("not-open", model), model.sources[:1]
        licence = self._license_of(model)
        if licence is None or licence.terms.value == "osi":
            return None
        return ("imprecise", f"open weights under {licence.name} ({licence.terms.value})",
                self._says("open-weights", model, licence=licence.name, summary=licence.summary),
                licence.sources)  # fmt: skip

    def _category(self, claim: Claim, model: Model):  # noqa: ANN202
        membership = queries.verdict(self.catalog, model, claim.value)
        name = with_article(short_name(self.catalog.categories[claim.value].name))
        if membership.verdict == "no":
            return "wrong", f"not {name}", membership.why, membership.sources
        if membership.verdict == "contested":
            views = "; ".join(f"{v.by}: {v.verdict}" for v in membership.views if v.verdict in ("yes", "no"))
            return "contested", f"contested ({views})", membership.why, membership.sources
        return None

    def _architecture(self, claim: Claim, model: Model):  # noqa: ANN202
        if "undisclosed" in model.architecture.lower():
            return ("unsupported", "architecture undisclosed", self._says("architecture-undisclosed", model),
                    model.sources[:1])  # fmt: skip
        if claim.value.lower() in model.architecture.lower():
            return None
        why = self._says("architecture", model, fact=model.architecture, said=claim.text)
        return "wrong", model.architecture, why, model.sources[:1]

    def _output(self, claim: Claim, model: Model):  # noqa: ANN202
        outputs = set(model.outputs) | ({"text"} if "code" in model.outputs else set())
        if claim.value in outputs:
            return None
        inputs, outputs = ", ".join(model.inputs), ", ".join(model.outputs)
        return ("wrong", f"{inputs} → {outputs}", self._says("output", model, said=claim.value), model.sources[:1])

    def _family(self, claim: Claim, family: Family):  # noqa: ANN202
        """A claim about a family as a whole: only where every member says the same (a category, an output)."""
        members = queries.family_members(self.catalog, family)
        if members and claim.field == "released":
            first = min((m for m in members if m.released), key=lambda m: m.released.date, default=None)
            return self._released(claim, first) if first else None
        if members and claim.field == "organization":
            judged = self._organization(claim, members[0])
            return judged and (*judged[:2], judged[2].replace(members[0].name, family.name, 1), judged[3])
        if not members:
            return None
        judged = [self._verdict(claim._replace(subject=m)) for m in members]
        verdicts = {j[0] if j else "right" for j in judged}
        if len(verdicts) == 1 and verdicts != {"right"} and (claim.field not in ("category", "architecture")
                                                             or verdicts == {"wrong"}):  # fmt: skip
            # the same finding for every model of the family ('Llama 2 has a 100K context window': each has 4K)
            first = judged[0]
            return first[0], first[1], self._says("family", family=family.name, finding=first[2]), first[3]
        if claim.field not in ("category", "output", "architecture"):
            return None
        if claim.field == "category" and "contested" in verdicts or len(verdicts) > 1 and "right" in verdicts:
            if claim.field != "category":
                return None
            return ("contested", "its models differ or the sources disagree",
                    self._says("family-differs", family=family.name, family_id=family.id, said=claim.value), ())
        return None

    def _license_of(self, model: Model):  # noqa: ANN202 - License | None
        """queries.license_of, once per model a run (a docs tree names the same models again and again)."""
        if model.id not in self.licences:
            self.licences[model.id] = queries.license_of(self.catalog, model)
        return self.licences[model.id]

    def _says(self, kind: str, model: Model | None = None, **facts: str) -> str:
        """A finding in the catalogue's own words (catalog/check.yaml, cue `says-KIND`), its facts filled in: the
        model's name, maker, weights, inputs and outputs, and those given. Without such a cue: the facts, listed."""
        if model is not None:
            facts = {"model": model.name, "maker": self._maker(model), "weights": model.weights.value,
                     "inputs": ", ".join(model.inputs), "outputs": ", ".join(model.outputs), **facts}  # fmt: skip
        cue = self.catalog.cues.get(f"says-{kind}")
        if cue is None or cue.says is None:
            return "; ".join(f"{name}: {value}" for name, value in facts.items())
        return cue.says.format_map(_Facts(facts))

    def _maker(self, model: Model) -> str:
        org = self.catalog.organizations.get(model.organization)
        return org.name if org else model.organization
