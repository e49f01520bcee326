"""Follow-up the plan sets once for every project, in wordings no seed uses."""

from __future__ import annotations

import pytest

from finsam_audit.read.follow_up import project_follow_up
from finsam_audit.read.lines import split_lines
from finsam_audit.read.prose import paragraphs


def _paragraphs(text: str):
    return paragraphs(split_lines(text).items)


@pytest.mark.parametrize(
    "text, said",
    [
        ("Samtliga insatser som förbundet finansierar följs upp halvårsvis i styrelsen.", "Samtliga insatser"),
        ("Uppföljning\n- Varje beviljat projekt lämnar en slutrapport till förbundschefen.", "Varje beviljat projekt"),
        ("Slutredovisningen ska ha kommit in innan slutbetalning sker.", "Slutredovisningen"),
        ("Uppföljning av insatser\nStyrgrupperna rapporterar till kansliet varje kvartal.", "Styrgrupperna"),
    ],
)
def test_follow_up_said_once_for_every_project_is_read(text: str, said: str) -> None:
    statement = project_follow_up(_paragraphs("Förbundet finansierar insatser.\n\n" + text + "\n"))
    assert statement is not None and statement.text.startswith(said)


@pytest.mark.parametrize(
    "text",
    [
        "Insatsen följs upp av styrgruppen två gånger per år.",  # one insats
        "Projektet redovisas för styrelsen i december.",
        "Alla insatser ska ha minst två parter.",  # every insats, but no follow-up
        "Styrelsen följer upp förbundets ekonomi varje månad.",  # follow-up of something else
    ],
)
def test_follow_up_of_one_insats_or_of_something_else_is_not_for_every_project(text: str) -> None:
    assert project_follow_up(_paragraphs(text + "\n")) is None
