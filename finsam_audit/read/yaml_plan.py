"""YAML plans: a plan written or corrected by hand, and the plan model written back out.

A file holds one document (a mapping of `Document` fields) or `documents: [...]`, the
shape `finsam-audit parse` prints, so its output loads back into the same model.
Errors name the line in the YAML file: the file is composed into nodes first, which
keep their marks, and a validation error's location is followed through them.

A document without `source` was written for this file: its source is the YAML file
and every element without a `line` gets the line it stands on, so findings point
into the YAML. A document that names its source (parser output) is left as written.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from finsam_audit import model
from finsam_audit.common.errors import InputError
from finsam_audit.model import Document, ParseResult, ParseWarning, Strict
from finsam_audit.read.limits import apply_limits
from finsam_audit.read.source import read_text

MAX_YAML_CHARS = 4 * 2**20  # a hand-written plan is a few kB; parse output of many files well under this
MAX_YAML_DEPTH = 32  # a plan nests five or six levels
MAX_YAML_ALIASES = 100
MAX_YAML_NODES = 200_000  # values once aliases are expanded: an alias bomb is refused
MAX_DIGITS = 30
_LONG_INTEGER = re.compile(rf"[-+]?[0-9_]{{{MAX_DIGITS + 1},}}")


class PlanFile(Strict):
    """What `parse` prints and a YAML plan may hold: the documents of one or more files."""

    documents: list[Document]


def load_yaml_plan(path: str | os.PathLike[str]) -> ParseResult:
    """Read a hand-written YAML plan; raises InputError naming the line of what is wrong."""
    source = str(path)
    warnings: list[ParseWarning] = []
    text = read_text(path, warnings)
    documents: list[Document] = []
    for node, data in _compose(text, source):
        documents.extend(_documents(node, data, source))
    if not documents:
        raise InputError(source, "filen innehåller ingen plan (bara kommentarer?)")
    return ParseResult(source=source, documents=documents, warnings=warnings)


def load_yaml_bounded(text: str, source: str) -> Any:
    """The value of a YAML file holding one document, loaded safely within the limits
    of a plan (depth, aliases, size); for other YAML inputs such as --accept."""
    documents = _compose(text, source)
    if len(documents) > 1:
        raise InputError(source, "filen innehåller flera YAML-dokument (---); skriv ett", documents[1][0].start_mark.line + 1)
    return documents[0][1] if documents else None


def dump_documents(documents: list[Document], fmt: Literal["yaml", "json"]) -> str:
    """The documents as `{"documents": [...]}` in YAML or JSON, ending with a newline."""
    data = {"documents": [document.model_dump(mode="json") for document in documents]}
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        # No line folding: a long goal stays on one line, easier to correct by hand.
        return yaml.dump(
            data, Dumper=_PlanDumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000
        )
    raise ValueError(f"unknown format {fmt!r}")


class _PlanDumper(yaml.SafeDumper):
    """Safe dumping that writes NEL and the Unicode line/paragraph separators escaped:
    PyYAML writes them raw, and reads a raw NEL in a quoted scalar back as a space."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(ch in value for ch in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PlanDumper.add_representer(str, _represent_str)


class _PlanLoader(yaml.SafeLoader):
    """Safe loading with dates left as text: the model reads them and reports a bad one
    ("2025-13-01") with its line, where PyYAML would fail without one."""


_PlanLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _compose(text: str, source: str) -> list[tuple[yaml.Node, Any]]:
    """Every YAML document of the stream as (node, value), both from one parse, within
    the limits (`_check_events`, `_check_graph`): safe loading alone does not stop a
    document nested a thousand deep or an alias bomb."""
    if len(text) > MAX_YAML_CHARS:
        raise InputError(source, f"YAML-planen är större än {MAX_YAML_CHARS // 2**20} MB, det största som läses")
    loader = _PlanLoader(text)
    out = []
    try:
        _check_events(text, source)
        while loader.check_node():
            node = loader.get_node()
            if node is None:  # check_node said there is one; the stubs allow None
                break
            _check_graph(node, source)
            out.append((node, loader.construct_document(node)))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise InputError(source, f"ogiltig YAML: {error.problem or error.context}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as error:
        raise InputError(source, f"ogiltig YAML: {error}") from None
    finally:
        loader.dispose()
    return out


def _check_events(text: str, source: str) -> None:
    """Nesting depth, alias count and integer length, from the parser's events (which,
    unlike composing, needs no recursion)."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=_PlanLoader):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise InputError(source, f"YAML-planen är nästlad djupare än {MAX_YAML_DEPTH} nivåer", line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                raise InputError(source, f"YAML-planen har fler än {MAX_YAML_ALIASES} alias (*namn)", line)
        elif isinstance(event, yaml.ScalarEvent) and event.style is None and _LONG_INTEGER.fullmatch(event.value):
            raise InputError(source, f"ett heltal med fler än {MAX_DIGITS} siffror; inget tal i en plan är så långt", line)


def _check_graph(root: yaml.Node, source: str) -> None:
    """One walk over the composed nodes, each node once however often it is aliased:
    no recursive alias, at most MAX_YAML_NODES nodes once aliases are expanded (what
    validation will walk), and no key twice in a mapping (PyYAML keeps the last of two
    equal keys; in a plan that silently drops an amount)."""
    sizes: dict[int, int] = {}
    path: set[int] = set()  # the nodes being walked: meeting one again is a recursive alias
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        children = _node_children(node)
        if children_done:
            path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > MAX_YAML_NODES:
                raise InputError(source, f"YAML-planen blir mer än {MAX_YAML_NODES} värden när dess alias "
                                 "(*namn) skrivs ut", node.start_mark.line + 1)
            continue
        if key in sizes:
            continue
        if key in path:
            raise InputError(source, "YAML-planen refererar till sig själv (ett alias inuti sitt eget ankare)",
                             node.start_mark.line + 1)
        path.add(key)
        if isinstance(node, yaml.MappingNode):
            _check_duplicate_keys(node, source)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children) if id(child) not in sizes)  # in document order


def _node_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_duplicate_keys(node: yaml.MappingNode, source: str) -> None:
    seen: set[str] = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen:
                raise InputError(source, f"nyckeln {key.value!r} förekommer två gånger", key.start_mark.line + 1)
            seen.add(key.value)


def _documents(node: yaml.Node, data: Any, source: str) -> list[Document]:
    line = node.start_mark.line + 1
    if not isinstance(data, dict):
        raise InputError(source, "en YAML-plan ska vara en mappning: planens fält, eller documents: [...]", line)
    if not data:
        raise InputError(source, "planen är tom", line)
    wrapped = "documents" in data
    try:
        plans = PlanFile.model_validate(data) if wrapped else PlanFile(documents=[Document.model_validate(data)])
    except ValidationError as error:
        raise _input_error(error, node, source) from None
    if not plans.documents:
        raise InputError(source, "documents är tom: filen innehåller ingen plan", line)
    doc_nodes = _child(node, "documents").value if wrapped else [node]  # type: ignore[union-attr]
    for document, doc_node in zip(plans.documents, doc_nodes, strict=False):
        if not document.source:
            document.source = source
            _fill_lines(document, doc_node)
        apply_limits(document)
    return plans.documents


# --- Lines of a hand-written plan -------------------------------------------------

_LINE_OF_FIELD = {"decided_line": "decided", "budget_heading_line": "budget_heading"}


def _fill_lines(obj: Any, node: yaml.Node) -> None:
    """Give every element without a `line` the YAML line it was written on."""
    if isinstance(obj, BaseModel) and isinstance(node, yaml.MappingNode):
        _fill_model_lines(obj, node)
    elif isinstance(obj, list) and isinstance(node, yaml.SequenceNode):
        for item, child in zip(obj, node.value, strict=False):
            _fill_lines(item, child)
    elif isinstance(obj, dict) and isinstance(node, yaml.MappingNode):
        for key, value in obj.items():
            child = _child(node, key)
            if child is not None:
                _fill_lines(value, child)


def _fill_model_lines(obj: BaseModel, node: yaml.MappingNode) -> None:
    """A model's own line where it has one, a document's line fields, then its fields' elements."""
    if "line" in type(obj).model_fields and "line" not in obj.model_fields_set:
        obj.line = node.start_mark.line + 1  # type: ignore[attr-defined]  # a model with a `line` field
    if isinstance(obj, Document):
        _fill_document_lines(obj, node)
    for name in list(obj.model_fields_set):
        child = _child(node, name)
        if child is not None:
            _fill_lines(getattr(obj, name), child)


def _fill_document_lines(document: Document, node: yaml.MappingNode) -> None:
    given = document.model_fields_set
    for line_field, field in _LINE_OF_FIELD.items():
        entry = _entry(node, field)
        if line_field not in given and entry is not None and getattr(document, field) is not None:
            setattr(document, line_field, entry[0].start_mark.line + 1)
    if "first_line" not in given:
        document.first_line = node.start_mark.line + 1
    if "last_line" not in given:
        end = node.end_mark  # just past the last character: column 0 of the next line
        document.last_line = end.line + (0 if end.column == 0 else 1)


def _entry(node: yaml.Node, name: Any) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key, value) nodes of `name` in a mapping node."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(name):
                return key, value
    return None


def _child(node: yaml.Node, name: Any) -> yaml.Node | None:
    entry = _entry(node, name)
    return entry[1] if entry else None


# --- Validation errors in Swedish, with the line ----------------------------------


def _input_error(error: ValidationError, root: yaml.Node, source: str) -> InputError:
    first = error.errors()[0]
    line, path = _locate(root, first["loc"])
    message = f"fel i {path}: {_swedish(first)}" if path else _swedish(first)
    if error.error_count() > 1:
        message += f" (och {error.error_count() - 1} fel till)"
    return InputError(source, message, line)


def _locate(node: yaml.Node, loc: tuple[int | str, ...]) -> tuple[int, str]:
    """The YAML line of a pydantic error location, and the location as a field path."""
    line = node.start_mark.line + 1
    path = ""
    found = True
    for part in loc:
        if part == "[key]":  # the error is in a mapping key: the key's line is already known
            continue
        if found and isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
            path += f"[{part}]"
            continue
        entry = _entry(node, part) if found else None
        if entry is not None:
            line = entry[0].start_mark.line + 1  # the line naming the field, also for a nested value
            node = entry[1]
        else:
            found = False  # a missing field: stay on the mapping that lacks it
        path += f".{part}" if path else str(part)
    return line, path


def _swedish(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    value = _Shown(error.get("input"))
    if error["loc"] and error["loc"][-1] == "[key]":
        return f"nyckeln {value!r} ska vara ett heltal (ett år)"
    if kind == "missing":
        return "obligatoriskt fält saknas"
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        if name in _FIELD_NAMES:  # a real field at the wrong level: usually indentation
            return "fältet hör inte hemma här (fel indrag?)"
        close = difflib.get_close_matches(name, _FIELD_NAMES, n=1)
        return "okänt fält" + (f" – menade du {close[0]!r}?" if close else "")
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))  # the model's own Swedish message
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if ctx.get("class_name") == "Amount":
            return (
                "ska vara ett belopp: ett heltal kronor, ett belopp med enhet (\"1 150 tkr\") eller en mappning "
                f"med kronor, unit, decimals, approximate, text (inte {value!r})"
            )
        return f"ska vara en mappning (fält: värde), inte {value!r}"
    if "expected" in ctx:  # "'plan', 'protocol' or 'report'"
        ctx = {**ctx, "expected": str(ctx["expected"]).replace("' or '", "' eller '")}
    return _MESSAGES.get(kind, "ogiltigt värde {value!r} ({msg})").format(value=value, msg=error["msg"], **ctx)


_MESSAGES = {
    "int_type": "ska vara ett heltal, inte {value!r}",
    "int_parsing": "ska vara ett heltal, inte {value!r}",
    "int_from_float": "ska vara ett heltal utan decimaler, inte {value!r}",
    "decimal_type": "ska vara ett tal, inte {value!r}",
    "decimal_parsing": "ska vara ett tal, inte {value!r}",
    "string_type": "ska vara text, inte {value!r}",
    "bool_type": "ska vara true eller false, inte {value!r}",
    "bool_parsing": "ska vara true eller false, inte {value!r}",
    "enum": "ska vara ett av {expected}, inte {value!r}",
    "date_type": "ska vara ett datum ÅÅÅÅ-MM-DD, inte {value!r}",
    "date_parsing": "ska vara ett datum ÅÅÅÅ-MM-DD, inte {value!r}",
    "date_from_datetime_parsing": "ska vara ett datum ÅÅÅÅ-MM-DD, inte {value!r}",
    "date_from_datetime_inexact": "ska vara ett datum utan klockslag, inte {value!r}",
    "list_type": "ska vara en lista, inte {value!r}",
    "greater_than_equal": "ska vara minst {ge}, inte {value!r}",
    "less_than_equal": "får vara högst {le}, inte {value!r}",
}

class _Shown:
    """A bad value as quoted in a message: its repr, cut short (a whole mapping can be wrong)."""

    def __init__(self, value: Any):
        self.text = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."

    def __repr__(self) -> str:
        return self.text


# Every field name of the model, to suggest the intended one for a misspelt key.
_FIELD_NAMES = sorted(
    {name for cls in vars(model).values() if isinstance(cls, type) and issubclass(cls, Strict) for name in cls.model_fields}
)
