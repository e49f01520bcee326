"""The kinds of fact the rules engine sees, and the registry their modules fill themselves.

Each module of audit/facts/ declares its fact kinds as pydantic models (subclasses of
`Fact`) and registers the function that makes them with `@produces(Model)`: adding a fact
is one module dropped into that package, with no list to edit elsewhere. The registry
finds the modules by walking the package (`discover`, in the order of their names), so
derive_facts runs every producer and the catalog knows every fact kind.

Derived facts are validated against the models (tests/audit/test_fact_schemas.py), and
the catalog checks every rule's condition and message templates against the model of the
fact kind the rule names: a field a condition reads must exist, and a template may only
use a field the fact always has or the rule's condition guarantees.

Conventions: amounts are int kronor (`_kr`), shares int basis points (`_bp`), dates
int YYYYMMDD (`_ymd`), yes/no 0 or 1; a value that cannot be computed is left out.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from finsam_audit.audit.engine import MAX_INT, MAX_TEXT

if TYPE_CHECKING:
    from finsam_audit.audit.facts.core import Context, YearTotals
    from finsam_audit.audit.facts.dossier import Dossier
    from finsam_audit.audit.facts.equity import EquityPoint
    from finsam_audit.audit.facts.insatser import InsatsLines
    from finsam_audit.model import Document

FACTS_PACKAGE = "finsam_audit.audit.facts"


class Fact(BaseModel):
    """Fields every fact has. `subject` names what a finding is about."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)
    kind: ClassVar[str] = ""

    id: str = ""
    subject: str
    line: int | None = Field(default=None, description="källrad i dokumentet")
    year: int | None = Field(default=None, description="året faktumet gäller")
    unit: str = Field(default="kr", description="tabellens enhet (kr/tkr/mkr) för formatet belopp")

    @model_validator(mode="after")
    def _within_the_engines_bounds(self) -> Fact:
        """What every engine takes exactly: integers within ±2^53, texts of at most MAX_TEXT characters."""
        for name, value in self.__dict__.items():
            if isinstance(value, int) and abs(value) > MAX_INT:
                raise ValueError(f"{name}: {value} är för stort för regelmotorn")
            if isinstance(value, str) and len(value) > MAX_TEXT:
                raise ValueError(f"{name} är längre än {MAX_TEXT} tecken")
        return self

    def as_fact(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.model_dump(exclude_none=True)}


class AboutWhatIsAbsent(Fact):
    """A fact about a part the plan may lack: whether the text is only part of the document."""

    excerpt: int = Field(description="1 om texten bara är en del av dokumentet (dess första sidor)")
    pages_read: int | None = Field(default=None, description="sista sidan texten har")
    pages_total: int | None = Field(default=None, description="dokumentets sidantal")


@dataclass(frozen=True)
class PlanInputs:
    """What a producer may read, asked for by the names of its parameters; derive_facts
    (audit/facts/__init__.py) makes them once per plan."""

    ctx: Context  # the document, the parameters, and ctx.add for each fact made
    totals: dict[int, YearTotals]  # revenue and costs of each plan year
    stated: dict[int, EquityPoint]  # every eget kapital the plan states, by the year it is the end of
    timeline: dict[int, EquityPoint]  # eget kapital at the end of each year, stated or rolled forward
    matched: list[InsatsLines]  # the insatser of the text with the budget rows they were matched to
    dossier: Dossier  # the other documents of the förbund
    previous: Document | None  # the förbund's plan of the year before


INPUT_NAMES = tuple(f.name for f in dataclasses.fields(PlanInputs))
# A producer reading these compares the plan with other documents: its facts exist only
# when the förbund's dossier holds them (a protocol, last year's plan).
CROSS_DOCUMENT_INPUTS = frozenset({"dossier", "previous"})


@dataclass(frozen=True)
class Producer:
    """A function making the facts of its kinds, with the inputs it names."""

    function: Callable[..., None]
    kinds: tuple[str, ...]
    inputs: tuple[str, ...]
    order: tuple[str, int]  # its module's name, then its place in the module

    @property
    def cross_document(self) -> bool:
        return bool(CROSS_DOCUMENT_INPUTS & set(self.inputs))

    def run(self, inputs: PlanInputs) -> None:
        self.function(*(getattr(inputs, name) for name in self.inputs))


@dataclass
class Registry:
    """Every fact kind's model and producer, as the modules of audit/facts/ registered them."""

    models: dict[str, type[Fact]] = field(default_factory=dict)
    # Per kind, its fields in the model's order with their defaults (plain_fact's starting point).
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    producers: list[Producer] = field(default_factory=list)
    discovered: bool = False

    def add(self, producer: Producer, models: tuple[type[Fact], ...]) -> None:
        for model in models:
            known = self.models.get(model.kind)
            if known is not None and known is not model:
                raise ValueError(f"fact kind {model.kind!r} is registered twice ({known.__module__}, {model.__module__})")
            self.models[model.kind] = model
            self.templates[model.kind] = {"kind": model.kind} | {
                name: info.default if not info.is_required() else None for name, info in model.model_fields.items()
            }
        self.producers.append(producer)
        self.producers.sort(key=lambda p: p.order)


REGISTRY = Registry()


def produces(*models: type[Fact]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a fact producer and the models of the fact kinds it makes. Its parameters
    name what it reads (PlanInputs); it adds each fact with `ctx.add(kind, ...)`."""

    def register(function: Callable[..., None]) -> Callable[..., None]:
        name = f"{function.__module__}.{function.__name__}"
        inputs = tuple(inspect.signature(function).parameters)
        unknown = sorted(set(inputs) - set(INPUT_NAMES))
        if unknown:
            raise TypeError(f"{name} reads {', '.join(unknown)}; a producer reads only {', '.join(INPUT_NAMES)}")
        if not models or any(not model.kind for model in models):
            raise TypeError(f"{name}: @produces names the models, each with its kind, of the facts it makes")
        place = sum(p.order[0] == function.__module__ for p in REGISTRY.producers)
        producer = Producer(function, tuple(model.kind for model in models), inputs, (function.__module__, place))
        REGISTRY.add(producer, models)
        return function

    return register


def discover() -> Registry:
    """The registry, once every module of audit/facts/ is imported (in the order of their names)."""
    if not REGISTRY.discovered:
        package = importlib.import_module(FACTS_PACKAGE)
        for name in sorted(info.name for info in pkgutil.iter_modules(package.__path__)):
            importlib.import_module(f"{FACTS_PACKAGE}.{name}")
        REGISTRY.discovered = True
    return REGISTRY


def fact_models() -> dict[str, type[Fact]]:
    """Every fact kind with its model."""
    return discover().models


def model_modules() -> list[ModuleType]:
    """The modules declaring the fact models, in the order of their names."""
    return [sys.modules[name] for name in sorted({model.__module__ for model in fact_models().values()})]


def producers() -> list[Producer]:
    """Every fact producer, in the order of their modules' names and their place in them."""
    return discover().producers


def cross_document_kinds() -> set[str]:
    """The fact kinds that need another document of the förbund: their rules never fire on a plan alone."""
    return {kind for producer in producers() if producer.cross_document for kind in producer.kinds}


def always_present(kind: str) -> set[str]:
    """Fields a fact of this kind always carries (required, or defaulted to a value)."""
    model = fact_models()[kind]
    return {name for name, info in model.model_fields.items() if info.is_required() or info.default is not None}


def all_fields(kind: str) -> set[str]:
    return set(fact_models()[kind].model_fields)


def field_type(kind: str, name: str) -> type:
    """int or str: the type of a field's value (None, for an absent value, is never sent)."""
    annotation = fact_models()[kind].model_fields[name].annotation
    return str if annotation is str or str in typing.get_args(annotation) else int


def make_fact(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Validate values against the fact kind's model and return the engine's dict (for
    facts from outside: the rule files' examples)."""
    values = {k: v for k, v in values.items() if k != "kind"}
    return fact_models()[kind].model_validate(values).as_fact()


def plain_fact(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The engine's dict without validating: make_fact's result for the facts the audit
    derives itself (the hot path), defaults filled and absent values left out, in the
    model's field order. tests/audit/test_fact_schemas.py checks every derived fact
    against its model."""
    return {name: value for name, value in (REGISTRY.templates[kind] | values).items() if value is not None}
