"""The board's goals in wordings and layouts no seed or fixture uses, and a goal for all
insatser in running text put into the real texts (fixtures/texts and the seeds beside the
checkout)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam_audit.model import DocumentKind
from finsam_audit.read import parse_text
from finsam_audit.read.goals import _TARGET, target_matches
from tests.paths import FIXTURES, SEEDS

TEXTS = sorted((FIXTURES / "texts").glob("*.txt")) + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])

PLAN = """Samordningsförbundet Ljungsala
Verksamhetsplan 2027 med plan för 2028–2029

Om förbundet
Förbundets medlemmar är Försäkringskassan, Arbetsförmedlingen, Region Ljungby och Sala kommun.

Mål
Styrelsen har antagit följande mål för 2027:
• Minst 60 unga vuxna ska delta i förbundets insatser.
Indikator: Antal unga vuxna i Uppföljning Finsam.
Uppföljning: Vid varje styrelsemöte.
• {second}
Uppföljning: I årsredovisningen.
• Årets resultat ska följa den plan för det egna kapitalet som styrelsen har antagit.
Uppföljning: I delårsrapporten.

Insatser 2027

Vägen vidare
Parter: Sala kommun, Arbetsförmedlingen
Beviljat 2027: 900 000 kronor

Mål
Deltagarna ska komma närmare arbete.

Uppföljning
Halvårsvis till styrelsen.
"""


def _plan(second: str = "Förbundet ska anordna fyra nätverksträffar för parternas chefer."):
    [plan] = parse_text(PLAN.format(second=second), "ljungsala.txt").documents
    return plan


def test_goals_under_a_bare_mal_heading_are_the_plans_and_an_insatss_own_mal_is_not() -> None:
    plan = _plan()
    assert [goal.text[:30] for goal in plan.goals] == [
        "Minst 60 unga vuxna ska delta ",
        "Förbundet ska anordna fyra nät",
        "Årets resultat ska följa den p",
    ]
    first = plan.goals[0]
    assert first.measure == "Antal unga vuxna i Uppföljning Finsam."
    assert first.follow_up == "Vid varje styrelsemöte."  # the insatser's heading does not continue it
    [insats] = plan.insatser
    assert insats.goal == "Deltagarna ska komma närmare arbete."


def test_a_goal_about_the_result_or_eget_kapital_is_financial_wherever_it_is_listed() -> None:
    assert [goal.financial for goal in _plan().goals] == [False, False, True]


@pytest.mark.parametrize(
    "second, targets",
    [
        ("Förbundet ska anordna fyra nätverksträffar för parternas chefer.", ["fyra nätverksträffar"]),
        ("Forbundet ska anordna tva natverkstraffar for parternas chefer.", ["tva natverkstraffar"]),  # OCR
        # Not a count of what is to be done: a share of the parties, a period, the ones there are.
        ("Förbundet ska stödja två av parterna i arbetet med unga.", []),
        ("Förbundet ska under de tre kommande åren utveckla samverkan.", []),
        ("Förbundet ska samla de två kommunerna kring en gemensam analys.", []),
    ],
)
def test_a_number_in_words_counting_what_is_to_be_done_is_a_target(second: str, targets: list[str]) -> None:
    assert _plan(second).goals[1].targets == targets


def test_a_wrapped_line_of_prose_naming_insatser_does_not_end_the_goals() -> None:
    text = PLAN.format(second="Förbundet ska anordna fyra nätverksträffar för parternas chefer.").replace(
        "Uppföljning: I årsredovisningen.\n",
        "Hur: Chefsgruppen väljer teman utifrån behoven i de\n"
        "individinriktade insatser. Förbundschefen bjuder in till\n"
        "träffarna.\n"
        "Uppföljning: I årsredovisningen.\n",
    )
    [plan] = parse_text(text, "ljungsala.txt").documents
    assert len(plan.goals) == 3
    assert plan.goals[1].follow_up == "I årsredovisningen."


@pytest.mark.parametrize(
    "introduction",
    [
        "För att uppnå målen ska styrelsen under året:",
        "Målen ska nås genom att:",
        "Detta sker via:",
    ],
)
def test_items_under_an_introduction_of_means_are_means_not_goals(introduction: str) -> None:
    text = PLAN.format(second="Förbundet ska anordna fyra nätverksträffar för parternas chefer.").replace(
        "Insatser 2027",
        f"{introduction}\n• samla parternas chefer till en gemensam analys\n"
        "• erbjuda handläggarna utbildning i Finsam\n\nInsatser 2027",
    )
    [plan] = parse_text(text, "ljungsala.txt").documents
    assert [(goal.text[:20], goal.means) for goal in plan.goals] == [
        ("Minst 60 unga vuxna ", False),
        ("Förbundet ska anordn", False),
        ("Årets resultat ska f", False),
        ("samla parternas chef", True),
        ("erbjuda handläggarna", True),
    ]
    assert plan.goals[2].follow_up == "I delårsrapporten."  # the introduction is no part of it


def test_what_a_goal_section_first_says_shall_be_is_a_goal() -> None:
    # A plain sentence under the heading, no bullet, no introduction: "X ska …" is the goal;
    # the purpose every förbund shares ("… för att individen ska …") is not.
    plan = (
        "Samordningsförbundet Västbygd\nVerksamhetsplan och budget 2026\n\n"
        "Mål för god ekonomisk hushållning\n"
        "Förbundets kostnader ska rymmas inom årets intäkter.\n"
        "Uppföljning: I delårsrapporten.\n\n"
        "Mål för verksamheten 2026\n"
        "Samordningsförbundens uppgift är att skapa förutsättningar för att individen ska nå egen försörjning.\n"
    )
    [document] = parse_text(plan, "plan.txt").documents
    assert [(goal.text, goal.financial, goal.follow_up) for goal in document.goals] == [
        ("Förbundets kostnader ska rymmas inom årets intäkter.", True, "I delårsrapporten.")
    ]


@pytest.mark.parametrize("share", ["Minst 60 procent", "65 %", "Högst 10 procent"])
def test_a_goal_whose_subject_is_a_share_is_a_goal(share: str) -> None:
    # "Minst 60 procent av deltagarna ska …": the share is the subject, longer than the
    # few words before "ska" a goal section's first sentence otherwise has.
    sentence = f"{share} av deltagarna i insatserna ska ha gått vidare till arbete eller studier vid avslut."
    plan = (
        "Samordningsförbundet Älvbygd\nVerksamhetsplan och budget 2027\n\n"
        f"Mål för verksamheten\n{sentence}\nUppföljning: I årsredovisningen.\n"
    )
    [document] = parse_text(plan, "plan.txt").documents
    assert [(goal.text, goal.targets, goal.follow_up) for goal in document.goals] == [
        (sentence, [share], "I årsredovisningen.")
    ]


# Words and marks the target pattern turns on, and others around them.
_TARGET_TOKENS = ["minst", "hogst", "max", "maximalt", "over", "under", "fler an", "farre an", "tva", "tre", "femton",
                  "tio", "atta", "de", "alla", "vara", "av", "aren", "en", "ett", "deltagare", "tillfallen", "insatser",
                  "12", "2026", "3,5", "7", "%", "procent", "mover", "station", "x9", ".", ",", " ", "  ", "\n"]


@settings(max_examples=400, derandomize=True)
@given(st.lists(st.sampled_from(_TARGET_TOKENS), max_size=30).map(lambda tokens: " ".join(tokens)))
def test_targets_are_found_where_the_whole_pattern_finds_them(text: str) -> None:
    # The pattern is tried only where a target can start; every target the pattern finds
    # anywhere in the text must still be found, in the same places.
    assert [match.span() for match in target_matches(text)] == [match.span() for match in _TARGET.finditer(text)]


# --- a goal for all insatser in running text, outside any goal section -------------------

_COMMON_GOAL = (
    "Gemensamt för alla insatser är målet att minst 40 procent av deltagarna ska ha gått vidare "
    "till arbete eller studier efter avslutad insats."
)
# Sentences with goal words that state no goal of the plan: the ändamål, a requirement on
# every insats, a goal without a measurable target.
_NO_GOALS = [
    "Förbundets ändamål är att minst stödja samverkan mellan parterna.",
    "Varje insats som förbundet finansierar ska ha mätbara mål och följas upp minst två gånger per år.",
    "Målet är att genomföra minst en föreläsning under året.",
    "Målet är att fler ska komma närmare arbete.",
]


def _after_the_first_paragraph(text: str, paragraph: str) -> str:
    """The paragraph put after the plan's first paragraph, as its own paragraph."""
    lines = text.split("\n")
    first = (_plans_of(text)[0].first_line or 1) - 1
    blank = next((index for index in range(first, len(lines)) if not lines[index].strip()), len(lines))
    return "\n".join(lines[:blank] + ["", paragraph] + lines[blank:])


def _goals(text: str) -> list[tuple[str, list[str]]]:
    return [(" ".join(goal.text.split()), goal.targets) for plan in _plans_of(text) for goal in plan.goals]


def _plans_of(text: str):  # type: ignore[no-untyped-def]
    return [document for document in parse_text(text, "plan.txt").documents if document.kind == DocumentKind.PLAN]


PLAN_TEXTS = [path for path in TEXTS if _plans_of(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", PLAN_TEXTS, ids=lambda path: path.stem)
def test_a_goal_for_all_insatser_in_running_text_is_a_plan_goal_wherever_it_stands(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    changed = _after_the_first_paragraph(text, _COMMON_GOAL)
    before, after = _goals(text), _goals(changed)
    assert (_COMMON_GOAL, ["minst 40 procent"]) in after
    assert sorted(after) == sorted([*before, (_COMMON_GOAL, ["minst 40 procent"])])


@pytest.mark.parametrize("sentence", _NO_GOALS, ids=["andamal", "krav-pa-varje-insats", "en-aktivitets-mal", "utan-malvarde"])
@pytest.mark.parametrize("path", PLAN_TEXTS, ids=lambda path: path.stem)
def test_the_andamal_and_what_every_insats_shall_have_are_no_goals(path: Path, sentence: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert _goals(_after_the_first_paragraph(text, sentence)) == _goals(text)


def test_a_goal_in_the_text_on_the_insatser_is_the_plans_and_an_insatss_own_is_not() -> None:
    plan = (
        "Samordningsförbundet Björkmo\nVerksamhetsplan och budget 2027\n\n"
        "Insatser\n"
        "Förbundet finansierar individinriktade insatser för personer som står långt från arbetsmarknaden.\n"
        f"{_COMMON_GOAL} Detta mäts genom SUS vid avslut.\n\n"
        "Steget\nParter: Björkmo kommun, Arbetsförmedlingen\nBeviljat 2027: 900 000 kronor\n"
        "Arbetsträning i kommunens verksamheter. Målet är att minst 30 % av deltagarna ska ha arbete vid avslut.\n"
    )
    [document] = _plans_of(plan)
    [goal] = document.goals
    assert (goal.text, goal.targets, goal.measure, goal.line) == (
        _COMMON_GOAL, ["minst 40 procent"], "Detta mäts genom SUS vid avslut.", 6
    )
    assert [insats.name for insats in document.insatser] == ["Steget"]
