"""The law of the plan's year: rules/law.toml, one entry per version of a provision.

A rule names provisions by key (`law = ["kl_balans"]`); a finding cites the version in
force for the plan's budget year. A plan without a known year is judged by the law in
force now (the newest version).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from finsam_audit.common.errors import InputError

LAW_FILE = "law.toml"
PLACEHOLDER_PREFIX = "lag_"  # a template writes {lag_kl_balans} for the short citation


class Lagrum(BaseModel):
    """One version of one provision."""

    # Validated when the catalog is built; a cached catalog's entries are unpickled, never validated.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    short: str = Field(min_length=1)
    full: str = Field(min_length=1)
    source: str = Field(min_length=1)
    from_year: int | None = None
    until_year: int | None = None

    def applies_to(self, year: int | None) -> bool:
        if year is None:
            return self.until_year is None
        return (self.from_year is None or self.from_year <= year) and (self.until_year is None or year <= self.until_year)


@dataclass(frozen=True)
class LawTable:
    entries: tuple[Lagrum, ...]

    @property
    def keys(self) -> set[str]:
        return {entry.key for entry in self.entries}

    def version(self, key: str, year: int | None) -> Lagrum:
        """The version of `key` in force for a budget year; the newest when the year is earlier than every version."""
        versions = [entry for entry in self.entries if entry.key == key]
        found = [entry for entry in versions if entry.applies_to(year)]
        if found:
            return found[0]
        return min(versions, key=lambda entry: entry.from_year or 0)

    def placeholders(self, keys: list[str], year: int | None) -> dict[str, str]:
        """Template values {lag_<key>: short citation} for the plan's year."""
        return {PLACEHOLDER_PREFIX + key: self.version(key, year).short for key in keys}

    def citations(self, keys: list[str], year: int | None) -> list[str]:
        return [self.version(key, year).full for key in keys]


def parse_law_table(text: str, source: str) -> LawTable:
    """The law table from its TOML; every problem is an InputError naming the file."""
    import tomllib  # here: a cached catalog needs no TOML parser

    try:
        raw = tomllib.loads(text)
        entries = tuple(Lagrum.model_validate(entry) for entry in raw.get("lagrum", []))
    except tomllib.TOMLDecodeError as error:
        raise InputError(source, f"ogiltig TOML: {error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        raise InputError(source, f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
    if not entries:
        raise InputError(source, "lagtabellen har inga [[lagrum]]")
    for key in {entry.key for entry in entries}:
        _check_versions(source, [entry for entry in entries if entry.key == key])
    return LawTable(entries)


def _check_versions(source: str, versions: list[Lagrum]) -> None:
    """The versions of one provision follow each other without gap or overlap."""
    ordered = sorted(versions, key=lambda entry: entry.from_year or 0)
    if ordered[0].from_year is not None or ordered[-1].until_year is not None:
        raise InputError(
            source, f"{ordered[0].key}: versionerna ska täcka alla år (första utan from_year, sista utan until_year)"
        )
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.until_year is None or later.from_year != earlier.until_year + 1:
            raise InputError(source, f"{later.key}: versionen från {later.from_year} ansluter inte till den före")
