"""Organisations a plan names, and which of them are member parties (FinsamL 3 §).

Members are Försäkringskassan, Arbetsförmedlingen, a region (landsting) and kommuner;
several kommuner are one party. Plans write them in full, abbreviated ("FK", "AF", or an
abbreviation the plan defines: "Region Strandmark (RS)"), in the definite form
("Regionen", "kommunerna"), as lists ("kommunerna Älvby, Norrby och Söderby",
"Storåsens, Bergsjö och Torps kommuner") or all at once ("Samtliga", "alla parter").
Samhall, Polisen, föreningar and företag are named organisations but no members.
"""

from __future__ import annotations

import re

from finsam_audit.common.text import fold, squash
from finsam_audit.model import Member, Party
from finsam_audit.read.prose import join_lines

_FORBUND_ITSELF = re.compile(r"samordningsf[öo]rbund", re.I)
_STANDARD_ABBREVIATIONS = {"fk": Member.FORSAKRINGSKASSAN, "af": Member.ARBETSFORMEDLINGEN}
_ALL_MEMBERS = re.compile(
    r"^(?:samtliga|alla)(?:\s+(?:fyra|fem|medverkande|ingaende))?(?:\s+(?:parter(?:na)?|medlemmar(?:na)?|huvudman(?:nen)?))?$"
)
_DEFINITE_MEMBERS = re.compile(r"^(?:kommunen|kommunerna|regionen|landstinget)$")
# A plan's own abbreviation: "Region Strandmark (RS)".
_DEFINED_ABBREVIATION = re.compile(r"([A-ZÅÄÖ][\wåäö]+(?:\s+(?:[A-ZÅÄÖ][\wåäö]+|kommun|region)){0,3})\s+\(([A-ZÅÄÖ]{2,4})\)")
_NAME = r"[A-ZÅÄÖ][\wåäö]+(?:-[A-ZÅÄÖ][\wåäö]+)?"
_LIST = rf"{_NAME}(?:,\s*{_NAME})*(?:\s+(?:och|samt)\s+{_NAME})?"  # "A, B och C": "och" ends it
# "kommunerna Älvby, Norrby och Söderby" / "Storåsens, Bergsjö och Torps kommuner".
_KOMMUN_LIST = re.compile(rf"\bkommunerna\s+({_LIST})|({_LIST})\s+kommuner\b")


_ABBREVIATION_AFTER = re.compile(r"\s*\([A-ZÅÄÖ]{2,4}\)$")
_REGION = re.compile(r"\bregion|landsting")
_CLAUSE = re.compile(r"\b(?:men|som|vilket|där|for att|för att)\b")
_LIST_BREAK = re.compile(r",|\boch/eller\b|\boch\b|\bsamt\b|\bmed stöd av\b|\bmed stod av\b")


def member_of(name: str) -> Member | None:
    """Which member party an organisation named in a plan is, if any."""
    folded = fold(name)
    if "forsakringskass" in folded or folded.strip() == "fk":
        return Member.FORSAKRINGSKASSAN
    if folded.startswith("arbetsf") or " arbetsf" in folded or folded.strip() == "af":
        return Member.ARBETSFORMEDLINGEN
    if _REGION.search(folded):
        return Member.REGION
    if "kommun" in folded:
        return Member.KOMMUN
    return None


def abbreviations(text: str) -> dict[str, str]:
    """The abbreviations a plan defines for its members: {"RS": "Region Strandmark"}."""
    found = {}
    for match in _DEFINED_ABBREVIATION.finditer(text):
        if member_of(match.group(1)) is not None:
            found[match.group(2)] = match.group(1)
    return found


def split_names(text: str) -> list[str]:
    text = _CLAUSE.split(text, maxsplit=1)[0]  # the list ends where the clause does
    parts = _LIST_BREAK.split(text)
    return [squash(part).strip(" .;") for part in parts if squash(part).strip(" .;")]


def parties_in(text: str, aliases: dict[str, str] | None = None) -> list[Party]:
    """Organisations in a list ("Kommunen, Arbetsförmedlingen och Polisen"), members told from others."""
    kommun_lists = "kommuner" in text  # "kommunerna A och B", "A och B kommuner"
    parties = [Party(name=f"{name} kommun", member=Member.KOMMUN) for name in _kommun_lists(text)] if kommun_lists else []
    for name in split_names(_KOMMUN_LIST.sub(" ", text) if kommun_lists else text):
        if name.endswith(")"):
            name = _ABBREVIATION_AFTER.sub("", name)  # "Arbetsförmedlingen (AF)"
        name = (aliases or {}).get(name, name)
        folded = fold(name)
        if _ALL_MEMBERS.match(folded):
            parties.extend(_every_member())
            continue
        # Named organisations only: "anhörig/brukar/intresseorganisationer" or "flera
        # studieförbund" are kinds of organisations, and the förbund is not its own party.
        named = name[:1].isupper() or _DEFINITE_MEMBERS.match(folded)
        if _FORBUND_ITSELF.search(name) or not named or folded == "lsg":
            continue
        parties.append(Party(name=name, member=member_of(name)))
    return _distinct(parties)


# A list in parentheses closing a name: "Aktivitetshuset (AF, FK, Kommunen, Regionen)".
_TRAILING_LIST = re.compile(r"\s*\(([^()]*)\)$")


def listed_in_name(name: str, aliases: dict[str, str] | None = None) -> tuple[str, list[Party]]:
    """A name and the parties it lists in parentheses at its end ("Aktivitetshuset (AF, FK,
    Kommunen, Regionen)", "Navigatorn (samtliga parter)"): two organisations or more, a member
    among them. ("(Inkl. beredningsgrupp)", "(Bank, hemsida)" or one organisation ("(Kommunen)",
    the employer of a post) list no parties: the name is returned whole, with none.)"""
    match = _TRAILING_LIST.search(name.rstrip()) if name.rstrip().endswith(")") else None
    if match is None:
        return name, []
    parties = parties_in(match.group(1), aliases)
    if len(parties) < 2 or not any(party.member for party in parties):
        return name, []
    return name[: match.start()].strip(), parties


def _kommun_lists(text: str) -> list[str]:
    names = []
    for match in _KOMMUN_LIST.finditer(text):
        names.extend(re.split(r",\s*|\s+(?:och|samt)\s+", match.group(1) or match.group(2)))
    return names


def _every_member() -> list[Party]:
    return [
        Party(name="Försäkringskassan", member=Member.FORSAKRINGSKASSAN),
        Party(name="Arbetsförmedlingen", member=Member.ARBETSFORMEDLINGEN),
        Party(name="Regionen", member=Member.REGION),
        Party(name="Kommunen", member=Member.KOMMUN),
    ]


def _distinct(parties: list[Party]) -> list[Party]:
    seen: set[str] = set()
    kept = []
    for party in parties:
        if fold(party.name) not in seen:
            seen.add(fold(party.name))
            kept.append(party)
    return kept


def is_party_list(text: str) -> bool:
    """A line that only lists organisations, members among them ("Region Nordåsen, Försäkringskassan");
    a labelled list ("Parter: …") is read by its label."""
    if text.endswith(".") or ":" in text or "(" in text:
        return False
    names = split_names(text)
    return (
        len(names) >= 2
        and any(member_of(name) for name in names)
        and all(name[:1].isupper() and len(name.split()) <= 4 for name in names)
    )


PARTY_LIST_LINES = 4  # a party list the page wraps takes a few lines at most


def party_list_lines(texts: list[str]) -> int:
    """How many of these lines (an insats's first, "" for a blank) only list its parties, 0
    when they do not. A list the page width wrapped ("Region Nordåsen," / "Försäkringskassan",
    "Ådalsbygds" / "kommun, Nylands kommun") continues on a line after a comma, starting in
    lower case, or itself listing parties; never on a labelled line ("Beviljat 2027: …")."""
    listed = 0
    for count in range(1, min(PARTY_LIST_LINES, len(texts)) + 1):
        text = texts[count - 1]
        if not text or ":" in text:
            break
        if count > 1 and not (texts[count - 2].endswith(",") or text[:1].islower() or is_party_list(text)):
            break
        if is_party_list(join_lines(texts[:count])):
            listed = count
    return listed
