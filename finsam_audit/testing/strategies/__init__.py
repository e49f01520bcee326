"""Hypothesis strategies for samordningsförbund plans: members, budgets, insatser, goals, whole plans.

Every strategy draws values of the plan model (`finsam_audit.model`) that are what the
parser should read from a correct plan — internally consistent and within the rules a
clean plan keeps — so they can be audited directly, rendered to plan text with
`finsam_audit.testing.render.render` and parsed back, or mutated into a plan with a defect.

    from hypothesis import given
    from finsam_audit.read import parse_text
    from finsam_audit.testing.render import render
    from finsam_audit.testing.strategies import plans

    @given(plans(unit="tkr"))
    def test_my_rule_holds(plan):
        for year in plan.years:
            assert plan.budget[str(year)].costs.stated == plan.budget[str(year)].costs.computed
        text = render(plan, "layout", "kr")      # the same plan as a PDF's layout text
        parsed = parse_text(text, "plan.txt").documents[0]

What a drawn plan guarantees (`plans()`):

- three consecutive years, the budget year first; amounts are whole kronor, and in a
  tkr plan whole tkr or tkr with one decimal (multiples of 100 kr);
- the members' contributions are exactly half from the state (Försäkringskassan and
  Arbetsförmedlingen, one line), a quarter from the region(s) and a quarter from the
  kommun(er);
- every subtotal is the sum of the cost lines of its section, the totals are the sums
  of the revenue and cost lines, the result is revenue minus costs;
- eget kapital rolls forward (closing = opening + result, the next year opens with the
  previous closing), never goes below zero and never above 20 % of the year's
  contributions;
- the decision date is between 1 September and 29 November of the year before the
  budget year; financial goals are present, one of them the 20 % limit on eget
  kapital; the plan's individ target ("minst 70 % avse individstödjande insatser") is
  met by the granted amounts;
- every individ or struktur insats names at least two member parties, states its
  granted amount for the budget year ("Beviljat 2026: 1 800 000 kronor"), its goal and
  its follow-up, and has a budget line of the same name with that amount;
- reserved, not yet allocated funds are at most 25 % of each year's costs.

Derived bookkeeping the parser fills from the layout of a text (line numbers,
`headings`, warnings, `source`) is left empty.

Planted defects: `plans_with_defect(rule_id)` draws a clean plan and applies the
mutation registered for the rule with `@register_defect("FA201")`; the registry is
filled as the rule catalog grows (see `register_defect`). `defect_pairs(rule_id)` draws
the clean plan together with the planted one, to compare their findings.
"""

from __future__ import annotations

from finsam_audit.testing.strategies.budget import (
    BudgetTable,
    Membership,
    budget_tables,
    members,
    money,
)
from finsam_audit.testing.strategies.defects import (
    defect_pairs,
    defect_rules,
    plans_with_defect,
    register_defect,
)
from finsam_audit.testing.strategies.drawn import drawn_plans
from finsam_audit.testing.strategies.plans import goals, insatser, plans, render_options

__all__ = [
    "BudgetTable",
    "Membership",
    "budget_tables",
    "defect_pairs",
    "defect_rules",
    "drawn_plans",
    "goals",
    "insatser",
    "members",
    "plans",
    "plans_with_defect",
    "register_defect",
    "render_options",
    "money",
]
