"""Accepted findings (`audit --accept FILE`): a finding a revisor or förbundschef has
judged and accepted with a written reason is reported as accepted, with the reason,
not dropped, and does not count for --fail-on.

The file is TOML or YAML (by its suffix; .toml, .yaml, .yml):

    [[accept]]
    rule = "FA201"                                  # required
    forbund = "Samordningsförbundet Exempelbygd"    # or document = "plan-2026.txt" (or both)
    subject = "Eget kapital 202*"                   # optional: exact, or a glob (* ? [..])
    year = 2026                                     # optional
    justification = "Styrelsen har beslutat att ..." # required
    who = "Förbundets revisor"                      # optional
    date = 2026-01-15                               # optional

(in YAML: `accept:` with a list of the same mappings, or the list alone). Förbund are
compared as dossiers group them (common/names.py: "Samordningsförbundet i X" is "X"), the
subject ignoring case, diacritics and punctuation; `document` matches
the document's source as given, by file name or trailing path, or as a glob. An
acceptance that matches no finding is a warning, since it may be misspelt.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from finsam_audit.audit import AuditResult, DocumentResult
from finsam_audit.audit.findings import Acceptance, Finding
from finsam_audit.common.bounded import load_bounded, read_utf8
from finsam_audit.common.errors import InputError
from finsam_audit.common.names import forbund_key
from finsam_audit.common.text import fold

_GLOB = re.compile(r"[*?\[]")


def _plain(text: str) -> str:
    """Lower case, no diacritics or punctuation; the glob characters * ? [ ] ! kept."""
    return " ".join(re.findall(r"[a-z0-9*?\[\]!]+", fold(text)))


class AcceptEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rule: str
    document: str | None = None
    forbund: str | None = None
    subject: str | None = None
    year: int | None = None
    justification: str
    who: str | None = None
    date: dt.date | None = None

    @field_validator("rule")
    @classmethod
    def _rule(cls, value: str) -> str:
        if not re.fullmatch(r"FA\d{3}", value.upper()):
            raise ValueError("ska vara ett regel-id som FA201")
        return value.upper()

    @field_validator("justification")
    @classmethod
    def _justification(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("motiveringen får inte vara tom")
        return value

    def describe(self) -> str:
        parts = [self.rule]
        parts += [f"förbund {self.forbund}"] if self.forbund else []
        parts += [f"dokument {self.document}"] if self.document else []
        parts += [f"år {self.year}"] if self.year is not None else []
        parts += [f"”{self.subject}”"] if self.subject else []
        return ", ".join(parts)

    def acceptance(self) -> Acceptance:
        return Acceptance(justification=" ".join(self.justification.split()), who=self.who, date=self.date)

    # ------------------------------------------------------------------ matching

    def matches_document(self, document: DocumentResult) -> bool:
        if self.forbund is not None and forbund_key(self.forbund) != forbund_key(document.forbund):
            return False
        return self.document is None or _same_source(self.document, document.source)

    def matches(self, finding: Finding) -> bool:
        if finding.rule != self.rule:
            return False
        if self.year is not None and finding.year != self.year:
            return False
        if self.subject is None:
            return True
        pattern, subject = _plain(self.subject), _plain(finding.subject)
        return fnmatch.fnmatchcase(subject, pattern) if _GLOB.search(self.subject) else subject == pattern


def _same_source(pattern: str, source: str) -> bool:
    """As given, by trailing path components ("plan.txt" for "plans/plan.txt"), or a glob."""
    wanted, actual = PurePosixPath(pattern.replace("\\", "/")), PurePosixPath(source.replace("\\", "/"))
    if wanted == actual or (not wanted.is_absolute() and actual.parts[-len(wanted.parts):] == wanted.parts):
        return True
    return bool(_GLOB.search(pattern)) and (actual.match(str(wanted)) or fnmatch.fnmatchcase(str(actual), str(wanted)))


@dataclass(frozen=True)
class Acceptances:
    source: str
    entries: tuple[AcceptEntry, ...]


def _read(path: Path) -> Any:
    source = str(path)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        try:
            return load_bounded(tomllib.loads, read_utf8(path), source)
        except tomllib.TOMLDecodeError as error:
            raise InputError(source, f"ogiltig TOML: {error}") from None
    if suffix in (".yaml", ".yml"):
        from finsam_audit.read.yaml_plan import load_yaml_bounded  # late: YAML only for a YAML file

        return load_yaml_bounded(read_utf8(path), source)
    raise InputError(source, "filen med accepterade iakttagelser ska vara TOML (.toml) eller YAML (.yaml, .yml)")


_MESSAGES = {  # pydantic's error types, said in Swedish
    "missing": "saknas",
    "extra": "okänd nyckel (tillåtna: rule, document, forbund, subject, year, justification, who, date)",
    "date": "ska vara ett datum ÅÅÅÅ-MM-DD",
    "int": "ska vara ett heltal",
    "string": "ska vara text",
}


def load_acceptances(path: str | Path) -> Acceptances:
    """Read and check a file of acceptances; problems are InputErrors naming the file."""
    path = Path(path)
    source = str(path)
    raw = _read(path)
    if isinstance(raw, dict):
        unknown = set(raw) - {"accept"}
        if unknown:
            raise InputError(source, f"okänd nyckel {sorted(unknown)[0]} (filen ska ha en lista accept)")
        raw = raw.get("accept", [])
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise InputError(source, "accept ska vara en lista av accepterade iakttagelser")
    entries = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise InputError(source, f"accept nr {number}: ska vara en tabell med rule, justification …")
        try:
            entry = AcceptEntry.model_validate(item)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "posten"
            message = _MESSAGES.get(first["type"].split("_")[0], first["msg"].removeprefix("Value error, "))
            raise InputError(source, f"accept nr {number}: {where}: {message}") from None
        if entry.document is None and entry.forbund is None:
            raise InputError(source, f"accept nr {number} ({entry.rule}): ange document eller forbund")
        entries.append(entry)
    return Acceptances(source, tuple(entries))


def apply_acceptances(result: AuditResult, acceptances: Acceptances) -> tuple[AuditResult, list[str]]:
    """Mark every finding an entry matches (the first entry in the file wins);
    returns the new result and a warning for each entry that matched nothing."""
    used = [False] * len(acceptances.entries)

    def accepted(document: DocumentResult) -> DocumentResult:
        findings = []
        for finding in document.findings:
            for index, entry in enumerate(acceptances.entries):
                if entry.matches_document(document) and entry.matches(finding):
                    used[index] = True
                    finding = finding.model_copy(update={"accepted": entry.acceptance()})
                    break
            findings.append(finding)
        return document.model_copy(update={"findings": findings})

    result = result.with_documents(accepted(document) for document in result.documents)  # every document: used is known
    warnings = [
        f"{acceptances.source}: accept nr {index} ({entry.describe()}) matchar ingen iakttagelse"
        for index, (entry, hit) in enumerate(zip(acceptances.entries, used, strict=False), start=1)
        if not hit
    ]
    return result, warnings
