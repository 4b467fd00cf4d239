"""The vocabulary of rule conditions (rules.yaml `when:`): for each, the type of value it takes (the loader checks
it), the test a model must pass (the classifier applies it), and the facts its 'why not' wording may name (the
wording itself is data: the `conditions` section of catalog/rules.yaml). A new condition is one entry here and one
there; tests keep catalog/README.md and the catalogue's wording in step with this table."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from taxonomy_cli.records import Model, Status


class Condition(NamedTuple):
    kind: type | tuple[type, ...]  # what a rule gives it: a bool, a list of words, a number, a threshold
    holds: Callable[[Model, object, int | None], bool]  # (model, the rule's value, the line's value if a size)
    sized: bool = False  # compares the parameter count with a line: undecidable when the count is unknown


def size(model: Model) -> int | None:
    """The disclosed parameter count, or None."""
    if model.parameters and model.parameters.status is not Status.UNDISCLOSED:
        return model.parameters.value
    return None


CONDITIONS: dict[str, Condition] = {
    "broad_pretraining": Condition(bool, lambda m, v, _: m.broad_pretraining == v),
    "input_any": Condition(list, lambda m, v, _: bool(set(v) & set(m.inputs))),
    "output_any": Condition(list, lambda m, v, _: bool(set(v) & set(m.outputs))),
    "inputs_at_least": Condition(int, lambda m, v, _: len(set(m.inputs) - {"code"}) >= v),
    "inputs_only": Condition(list, lambda m, v, _: set(m.inputs) <= set(v)),
    "architecture_excludes": Condition(list, lambda m, v, _: not any(w in m.architecture.lower() for w in v)),
    "stage": Condition(list, lambda m, v, _: m.stage.value in v),
    "parameters_at_least": Condition((int, str), lambda m, _, line: size(m) is not None and size(m) >= line, True),
    "parameters_below": Condition((int, str), lambda m, _, line: size(m) is not None and size(m) < line, True),
    "parameters_at_most": Condition((int, str), lambda m, _, line: size(m) is not None and size(m) <= line, True),
}

# What a condition's 'why not' wording (catalog/rules.yaml `conditions`) may name, filled by queries.why_not.
WORDING_FIELDS = ("expected", "expected_list", "origin", "architecture", "inputs", "stage", "parameters", "line",
                  "size_status")  # fmt: skip
