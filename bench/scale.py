"""A user's imported catalogue of 10,000 models, as rich as the bundled ones, for the scale benchmark (issue 19).

Each extra model is a copy of a real bundled entry, renamed: its notes, alternatives, sources, judgements, product
models and the myths about it come along (a copy's sources and myths are copies too), spread over one YAML file per
copy of the bundled catalogue, as an exported catalogue would look. Nothing here is a fact: the copies exist only
to be looked up, searched and listed at scale.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "catalog" / "models"


def _bundled() -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """The bundled model files' sources, families, models and myths, as plain YAML values."""
    sources, families, models, myths = [], [], [], []
    for path in sorted(MODELS.glob("*.yaml")):
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        sources += document.get("sources") or []
        families += document.get("families") or []
        models += document.get("models") or []
        myths += document.get("myths") or []
    return sources, families, models, myths


def write_rich_catalog(folder: Path, count: int) -> int:
    """`count` renamed copies of bundled models (with what they cite) in one file per copy; returns bytes written."""
    sources, families, models, myths = _bundled()
    folder.mkdir(parents=True, exist_ok=True)
    written, copy = 0, 0
    while count > 0:
        chosen = models[: min(count, len(models))]
        written += _write_copy(folder / f"copy-{copy:02d}.yaml", copy, sources, families, chosen, myths)
        count -= len(chosen)
        copy += 1
    return written


def _write_copy(path: Path, k: int, sources: list, families: list, models: list, myths: list) -> int:
    model_ids = {m["id"] for m in models}
    family_ids = {m["family"] for m in models if m.get("family")}
    source_ids = {s["id"] for s in sources}
    suffix = f"-x{k}"

    def rename(value, key: str = ""):  # noqa: ANN001, ANN202 - plain YAML values
        if isinstance(value, dict):
            return {name: rename(item, name) for name, item in value.items()}
        if isinstance(value, list):
            return [rename(item, key) for item in value]
        if key == "sources" and value in source_ids:
            return value + suffix
        return value

    def own(record: dict, ids: set) -> dict:
        copied = rename(record)
        copied["id"] = record["id"] + suffix
        copied["name"] = f"{record['name']} X{k}"
        copied["aliases"] = [f"{alias} x{k}" for alias in record.get("aliases") or []]
        for field in ("hf_repos", "api_ids"):
            if record.get(field):
                copied[field] = [f"bench-x{k}/{item.rsplit('/', 1)[-1]}" if "/" in item else item + suffix
                                 for item in record[field]]  # fmt: skip
        return copied

    out_models = []
    for model in models:
        copied = own(model, model_ids)
        if model.get("family"):
            copied["family"] = model["family"] + suffix
        base = model.get("base_model")
        if base:
            if base in model_ids:
                copied["base_model"] = base + suffix
            else:
                copied["base_model"] = None
                copied["lineage_note"] = copied.get("lineage_note") or f"A copy of a fine-tune of {base}."
        if model.get("product_models"):
            copied["product_models"] = [
                {**p, "model": p["model"] + suffix} for p in copied["product_models"] if p["model"] in model_ids
            ] or None
            if copied["product_models"] is None:
                del copied["product_models"]
        out_models.append(copied)
    out_families = [
        {**own(family, family_ids), "organization": family["organization"]}
        for family in families
        if family["id"] in family_ids
    ]
    out_myths = []
    for myth in myths:
        about = [a + suffix if a in model_ids or a in family_ids else a for a in myth.get("about") or []]
        if any(a.endswith(suffix) for a in about):
            out_myths.append({**rename(myth), "id": myth["id"] + suffix, "about": about})
    out_sources = [{**source, "id": source["id"] + suffix} for source in sources]
    document = {"sources": out_sources, "families": out_families, "models": out_models, "myths": out_myths}
    text = yaml.dump(document, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False, allow_unicode=True, width=120)
    path.write_text(text, encoding="utf-8")
    return len(text.encode())
