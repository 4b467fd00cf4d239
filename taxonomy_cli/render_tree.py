"""`taxo tree`: the taxonomy (categories → families → models) and the lineage axis (base → instruct → chat)."""

from __future__ import annotations

from taxonomy_cli import queries
from taxonomy_cli.document import VERDICT_MARKS, Document, Section, TreeNode, View
from taxonomy_cli.records import Catalog, Model, Term
from taxonomy_cli.render_card import parameters_display
from taxonomy_cli.wording import short_name

def _children(catalog: Catalog, parent: str) -> list[Term]:
    return [t for t in catalog.categories.values() if t.parent == parent]


def _model_label(model: Model) -> str:
    return f"{model.name} ({model.id}, {parameters_display(model.parameters)}, {model.stage.value})"


def taxonomy(catalog: Catalog, depth: int) -> TreeNode:
    """Categories under foundation models, down to families (depth 2) and models (depth 3)."""
    members = queries.category_members(catalog)
    root = queries.taxonomy_root(catalog)
    homes = {}  # model id -> the sub-categories it appears under (to mark models shown twice)
    for category, pairs in members.items():
        if category != root.id and catalog.categories[category].parent == root.id:
            for model, _ in pairs:
                homes.setdefault(model.id, []).append(category)

    def category_node(term: Term, level: int) -> TreeNode:
        pairs = members.get(term.id, ())
        contested = sum(1 for _, word in pairs if word == "contested")
        label = f"{term.name}: {len(pairs)} models" + (f", {contested} of them contested" if contested else "")
        if level >= depth:
            return TreeNode(label)
        children: list[TreeNode] = [category_node(t, level + 1) for t in _children(catalog, term.id)]
        if term.id != root.id:
            children.extend(_family_nodes(catalog, term, pairs, homes, level + 1, depth))
        else:
            alone = tuple((model, m) for model, m in pairs if model.id not in homes)
            if alone:
                node = TreeNode(f"{ONLY_FOUNDATION}: {len(alone)} models",
                                tuple(_family_nodes(catalog, term, alone, homes, level + 2, depth)))  # fmt: skip
                children.append(node if level + 1 < depth else TreeNode(node.label))
        return TreeNode(label, tuple(children))

    return category_node(root, 0)


ONLY_FOUNDATION = "In no sub-category (encoders, vision models, and models whose place nobody can decide)"


def _family_nodes(catalog, term, pairs, homes, level, depth) -> list[TreeNode]:
    by_family: dict[str, list[Model]] = {}
    for model, _ in pairs:
        by_family.setdefault(model.family or "", []).append(model)
    nodes = []
    for family_id in sorted(by_family, key=lambda f: (f == "", f)):
        models = sorted(by_family[family_id], key=lambda m: (m.released.date if m.released else "", m.id))
        verdict = dict((model.id, word) for model, word in pairs)
        model_nodes = tuple(
            TreeNode(_model_label(m), note=_note(catalog, m, term, homes, verdict[m.id])) for m in models
        ) if level < depth else ()  # fmt: skip
        if family_id:
            family = catalog.families[family_id]
            nodes.append(TreeNode(f"{family.name} ({family_id}): {len(models)}", model_nodes))
        elif level < depth:
            nodes.extend(model_nodes)
        else:
            nodes.append(TreeNode(f"models without a family: {len(models)}"))
    return nodes


def _note(catalog: Catalog, model: Model, here: Term, homes: dict[str, list[str]], verdict: str) -> str:
    """'(contested; also under …)': a placement the views disagree on, and the other places the model is shown."""
    others = [catalog.categories[c].name for c in homes.get(model.id, []) if c != here.id]
    notes = ([f"{VERDICT_MARKS['contested']} contested"] if verdict == "contested" else []) + (
        [f"also under {', '.join(others)}"] if others else [])  # fmt: skip
    if here.parent is None:  # under the root alone: say which placements nobody can decide
        unknown = [short_name(catalog.categories[m.category].name)
                   for m in queries.verdicts(catalog, model) if m.verdict == "unknown"]  # fmt: skip
        notes += [f"{VERDICT_MARKS['unknown']} unknown: {', '.join(unknown)}"] if unknown else []
    return f"({'; '.join(notes)})" if notes else ""


def lineage(catalog: Catalog) -> TreeNode:
    """Every fine-tuning chain in the catalogue: base → instruct → chat."""

    children = queries.fine_tunes(catalog)

    def node(model: Model) -> TreeNode:  # recursion bounded: the loader refuses lineage past catalog.MAX_LINEAGE
        return TreeNode(_model_label(model), tuple(node(child) for child in children.get(model.id, ())))

    roots = queries.lineage_roots(catalog)
    return TreeNode(f"Lineage: {len(roots)} base models with fine-tuned descendants", tuple(node(r) for r in roots))


def tree_document(catalog: Catalog, depth: int, show_lineage: bool = True) -> Document:
    sections = [Section("", tree=taxonomy(catalog, depth))]
    if show_lineage:
        sections.append(Section("Training stages (base → instruct → chat)", tree=lineage(catalog)))
    return Document(
        "The taxonomy",
        "LLMs and SLMs are language-focused kinds of foundation model; a model can be in several places (marked), and "
        "where the sources disagree on a placement it is marked contested (taxo compare MODEL llm slm shows why).",
        tuple(sections),
    )


def tree_data(catalog: Catalog, depth: int) -> dict:
    """JSON: the same trees as nested {label, note, children}."""

    def as_dict(node: TreeNode) -> dict:
        return {"label": node.label, "note": node.note, "children": [as_dict(c) for c in node.children]}

    return {"taxonomy": as_dict(taxonomy(catalog, depth)), "lineage": as_dict(lineage(catalog))}


def tree_view(catalog: Catalog, depth: int, show_lineage: bool = True) -> View:
    """`taxo tree`."""
    return View(lambda: tree_data(catalog, depth), lambda: tree_document(catalog, depth, show_lineage))
