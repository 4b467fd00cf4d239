"""Inspected models: records in, a Document (for people) or a dict (for JSON) out.

The JSON is the `show` contract (render_card.model_data) for the model as identified, plus what the files said
(`file_facts`, `inspected`), where each fact on the card came from (`facts_from`), the catalogue match and notes.
"""

from __future__ import annotations

from taxonomy_cli import inspect_queries, queries, render_card
from taxonomy_cli.document import Document, Field, Section, View
from taxonomy_cli.inspect_records import CachedModel, Fact, Inspection, ModelFiles, Origin
from taxonomy_cli.records import Stage
from taxonomy_cli.units import grouped, short_bytes, short_count, short_context

_FORMATS = {"hf-folder": "Hugging Face model folder", "safetensors": "safetensors file", "gguf": "GGUF file"}
_FACT_FIELDS = (
    "architecture", "model_type", "parameters", "active_parameters", "layers", "hidden_size", "vocab_size",
    "context_length", "experts", "experts_used", "dtype", "quantisation", "organization", "license", "base_model",
    "base_model_relation", "chat_template",
)  # fmt: skip
_LABELS = {  # card field -> how a person calls it
    "name": "name", "organization": "organization", "family": "family", "released": "release date",
    "parameters": "parameter count", "active_parameters": "active parameters", "architecture": "architecture",
    "context_length": "context length", "training_tokens": "training data", "knowledge_cutoff": "knowledge cutoff",
    "weights": "weights", "license": "licence", "stage": "training stage", "base_model": "base model",
    "lineage_note": "lineage",
}  # fmt: skip


# -- JSON --------------------------------------------------------------------------------------------------------


def inspection_data(inspection: Inspection) -> dict:
    """The `show` JSON contract for the identified model, plus the files' facts and where each fact came from."""
    files = inspection.files
    data = render_card.model_data(inspection.catalog, inspection.model)
    match = inspection.match
    evidence = inspection.stage_evidence
    data.update(
        {
            "catalogue_id": match.model if match else None,
            "summary": inspect_queries.summary(inspection),
            "match": {"id": match.model, "name": inspection.model.name, "how": match.how} if match else None,
            "resembles": list(inspection.resembles),
            "quantisation": files.quantisation.value if files.quantisation else None,
            "facts_from": {field: origin.value for field, origin in inspection.facts_from},
            "stage_evidence": {
                "id": evidence.id if evidence else None,
                "stage": evidence.stage.value if evidence else None,
                "why": inspection.stage_why,
                "sources": list(evidence.sources) if evidence else [],
            },
            "inspected": files_data(files),
            "file_facts": file_facts_data(files),
            "notes": [*files.notes, *inspection.notes],
        }
    )
    return data


def files_data(files: ModelFiles) -> dict:
    """Which files were read: paths, sizes, format."""
    return {
        "path": files.path,
        "format": files.format,
        "format_version": files.format_version,
        "repo": files.repo,
        "revision": files.revision,
        "files": [{"path": path, "bytes": size} for path, size in files.files],
        "bytes": sum(size for _, size in files.files),
        "tensors": files.tensor_count,
    }


def file_facts_data(files: ModelFiles) -> dict:
    """Every fact the files gave, each with exactly where it was read."""
    facts = {key: _fact(getattr(files, key)) for key in _FACT_FIELDS}
    facts["names"] = [_fact(f) for f in files.names]
    facts["stop_tokens"] = [_fact(f) for f in files.stop_tokens]
    facts["generation"] = {key: _fact(f) for key, f in files.generation}
    return facts


def _fact(fact: Fact | None) -> dict | None:
    return {"value": fact.value, "from": fact.where} if fact else None


def cache_data(root: str, rows: tuple[tuple[CachedModel, Inspection | None], ...]) -> dict:
    """`taxo inspect --hf-cache --format json`: the cache folder and one entry per cached model."""
    return {"cache": root, "models": [_row_data(entry, inspection) for entry, inspection in rows]}


def _row_data(entry: CachedModel, inspection: Inspection | None) -> dict:
    row = {"repo": entry.repo, "revision": entry.revision, "path": entry.path, "error": entry.error}
    if inspection is None:
        return {**row, "id": None, "name": None, "catalogue_id": None, "summary": None, "format": None,
                "parameters": None, "parameters_display": None, "stage": None, "categories": [],
                "quantisation": None}  # fmt: skip
    model = inspection.model
    return {
        **row,
        "id": model.id,
        "name": model.name,
        "catalogue_id": inspection.match.model if inspection.match else None,
        "summary": inspect_queries.summary(inspection),
        "format": inspection.files.format,
        "parameters": model.parameters.value if model.parameters else None,
        "parameters_display": render_card.parameters_display(model.parameters),
        "stage": model.stage.value,
        "categories": [m.category for m in queries.classify(inspection.catalog, model)],
        "quantisation": inspection.files.quantisation.value if inspection.files.quantisation else None,
    }


# -- documents for people ----------------------------------------------------------------------------------------


def inspection_document(inspection: Inspection) -> Document:
    """The identified model's card, preceded by how it was identified and what the files say."""
    files = inspection.files
    card = render_card.model_document(inspection.catalog, inspection.model)
    sections = [_identified_section(inspection), _files_section(files)]
    sections.extend(_patched(section) for section in card.sections)
    notes = (*files.notes, *inspection.notes)
    if not inspection.match:
        notes = (*notes, "Not in the catalogue: the categories come from its rules applied to the files' facts.")
        if inspection.model.stage is Stage.BASE:
            notes = (
                *notes,
                "A base model read from files is not called a foundation model: that depends on how it was "
                "pre-trained (on broad data, at scale), which files cannot show.",
            )
    if notes:
        sections.append(Section("Notes", bullets=tuple(notes)))
    title = inspect_queries.summary(inspection)
    title += f" ({inspection.model.id})" if inspection.match else " (not in the catalogue)"
    return Document(title, _subtitle(files), tuple(sections))


def _subtitle(files: ModelFiles) -> str:
    total = sum(size for _, size in files.files)
    parts = [f"inspected {files.path}", _FORMATS.get(files.format, files.format)]
    if files.format_version:
        parts[-1] += f" v{files.format_version}"
    if files.files:
        parts.append(f"{len(files.files)} weight file{'s' if len(files.files) > 1 else ''}, {short_bytes(total)}")
    if files.repo:
        parts.append(f"{files.repo}@{(files.revision or '?')[:12]}")
    return " · ".join(parts)


def _identified_section(inspection: Inspection) -> Section:
    fields = []
    if inspection.match:
        match = inspection.match
        fields.append(Field("Catalogue match", f"{inspection.model.name} ({match.model}), {match.how}"))
    else:
        fields.append(Field("Catalogue match", "none: classified by the catalogue's rules from the files' facts"))
    if inspection.resembles:
        fields.append(
            Field(
                "Resembles",
                f"{', '.join(inspection.resembles)}: same architecture and parameter count (a fine-tune or copy?)",
            )
        )
    for origin, label in ((Origin.FILE, "From the files"), (Origin.CATALOGUE, "From the catalogue")):
        names = [_LABELS.get(field, field) for field, o in inspection.facts_from if o is origin]
        if names:
            fields.append(Field(label, ", ".join(names)))
    fields.append(Field("Stage evidence", inspection.stage_why))
    return Section("Identified", fields=tuple(fields))


def _files_section(files: ModelFiles) -> Section:
    fields = []
    if files.architecture or files.model_type:
        arch = " · ".join(str(f.value) for f in (files.architecture, files.model_type) if f)
        fields.append(Field("Architecture", arch))
    shape = [
        f"{grouped(f.value)} {label}"
        for f, label in ((files.layers, "layers"), (files.hidden_size, "hidden"), (files.vocab_size, "vocabulary"))
        if f and isinstance(f.value, int)
    ]
    if shape:
        fields.append(Field("Shape", " · ".join(shape)))
    for label, fact, suffix in (
        ("Parameters", files.parameters, ", exact"), ("Active per token", files.active_parameters, ""),
    ):  # fmt: skip
        if fact:
            fields.append(Field(label, f"{grouped(fact.value)} ({short_count(fact.value)}){suffix}\nfrom {fact.where}"))
    if files.context_length:
        context = files.context_length
        fields.append(Field("Context length", f"{short_context(context.value)} tokens\nfrom {context.where}"))
    for label, fact in (
        ("Data type", files.dtype), ("Quantisation", files.quantisation), ("Organization", files.organization),
        ("Licence", files.license), ("Base model", files.base_model), ("Relation", files.base_model_relation),
    ):  # fmt: skip
        if fact:
            fields.append(Field(label, f"{fact.value}\nfrom {fact.where}"))
    template = files.chat_template
    fields.append(Field("Chat template", f"yes ({template.where})" if template else "none found"))
    if files.stop_tokens:
        fields.append(Field("Stop tokens", "\n".join(f"{f.value} ({f.where})" for f in files.stop_tokens)))
    if files.generation:
        fields.append(Field("Generation defaults", ", ".join(f"{key} {fact.value}" for key, fact in files.generation)))
    fields.append(Field("Tensors", grouped(files.tensor_count)))
    if files.names:
        fields.append(Field("Names", "\n".join(f"{f.value} ({f.where})" for f in files.names)))
    return Section("From the files", fields=tuple(fields))


def _patched(section: Section) -> Section:
    """The `show` card's sections, with wording for a model the catalogue may not know."""
    if section.title != "Facts":
        return section
    fields = []
    for field in section.fields:
        if field.label == "Parameters" and field.style == "dim":
            field = Field("Parameters", "unknown: the files do not show it", "dim")
        elif field.label == "Modalities" and field.value.strip() == "→":
            field = Field("Modalities", "unknown: the architecture is not one the catalogue describes", "dim")
        fields.append(field)
    return section._replace(title="Model card", fields=tuple(fields))


def cache_document(root: str, rows: tuple[tuple[CachedModel, Inspection | None], ...]) -> Document:
    """`taxo inspect --hf-cache`: one line per cached model."""
    fields = []
    for entry, inspection in rows:
        if inspection is None:
            fields.append(Field(entry.repo, f"error: {entry.error}", "dim"))
            continue
        model = inspection.model
        parts = [
            inspect_queries.summary(inspection) + (f" ({inspection.match.model})" if inspection.match else ""),
            render_card.parameters_display(model.parameters),
            model.stage.value,
            ", ".join(c + (" (contested)" if word == "contested" else "")
                      for c, word in queries.categories_of(inspection.catalog, model)) or "no category",  # fmt: skip
        ]
        fields.append(Field(entry.repo, " · ".join(parts)))
    count = len(rows)
    return Document(
        f"Hugging Face cache ({count} model{'s' if count != 1 else ''})",
        root,
        (Section("Models", fields=tuple(fields), paragraphs=() if fields else ("No models in the cache.",)),),
    )


def inspection_view(inspection: Inspection) -> View:
    """`taxo inspect PATH`."""
    return View(lambda: inspection_data(inspection), lambda: inspection_document(inspection))


def cache_view(root: str, rows: tuple[tuple[CachedModel, Inspection | None], ...], more: bool, limit: int) -> View:
    """`taxo inspect --hf-cache`: a row per cached model; notes when some could not be read or the list was cut."""
    notes = []
    if more:
        notes.append(f"the cache holds more than {limit:,} models: {limit:,} of them are listed")
    failed = sum(1 for entry, _ in rows if entry.error)
    if failed:
        notes.append(f"{failed} cached model{'s' if failed != 1 else ''} could not be read: see their rows")
    return View(lambda: cache_data(root, rows), lambda: cache_document(root, rows), notes=tuple(notes))
