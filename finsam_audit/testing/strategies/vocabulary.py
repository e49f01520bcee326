"""The words plans are drawn from: förbund, members, labels, insats names, goal templates."""

from __future__ import annotations

from finsam_audit.model import (
    Unit,
)

# --- names ------------------------------------------------------------------

FORBUND_NAMES = (
    "Samordningsförbundet i Örnsköldsvik",
    "Samordningsförbundet i Sollefteå",
    "Samordningsförbundet Härnösand–Timrå",
    "Samordningsförbundet i Kramfors",
    "Samordningsförbundet i Exempelby",
    "Samordningsförbundet Ånge",
    "Samordningsförbundet i Östersund",
    "Samordningsförbundet Västra Mälardalen",
    "Samordningsförbundet Centrala Östergötland",
)
REGIONS = (
    "Region Västernorrland",
    "Region Jämtland Härjedalen",
    "Region Gävleborg",
    "Region Dalarna",
    "Region Norrbotten",
    "Region Västerbotten",
    "Region Uppsala",
    "Region Kalmar län",
    "Landstinget Västernorrland",
)
KOMMUNER = (
    "Örnsköldsviks kommun",
    "Sollefteå kommun",
    "Härnösands kommun",
    "Timrå kommun",
    "Kramfors kommun",
    "Ånge kommun",
    "Sundsvalls kommun",
    "Bräcke kommun",
    "Ragunda kommun",
    "Krokoms kommun",
    "Strömsunds kommun",
    "Åre kommun",
    "Östersunds kommun",
)
NON_MEMBERS = (
    "Polisen",
    "Svenska kyrkan",
    "Kronofogdemyndigheten",
    "Migrationsverket",
    "Kriminalvården",
    "Länsstyrelsen",
    "Pingstkyrkan",
    "Samhall",
)
STATE_LABELS = ("Försäkringskassan/Arbetsförmedlingen", "Driftbidrag från staten")
COMBINED_LABEL = "Driftbidrag från kommun och region"
FK = "Försäkringskassan"
AF = "Arbetsförmedlingen"

REVISION_LABEL = "Revision"
ADMIN_LABELS = (
    "Uppdragsersättning förbundschef 100 %",
    "Förbundschef",
    "Kanslikostnader, hyra, dator, tele, dataskyddsombud",
    "Arvoden, ersättningar styrelsen",
    REVISION_LABEL,
    "Rese- och logikostnader",
    "Medlemsavgift NNS inklusive serviceavgift",
    "Sammanträdeskostnader",
    "Övriga administrativa kostnader",
    "Ekonomitjänst",
    "Lokalkostnader",
    "Kontorsmaterial",
)
INDIVID_NAMES = (
    "Resurslotsen",
    "Beredningsgrupp Resurslotsen",
    "Samtalsbyrå för unga",
    "Vidare Vy",
    "Stödlotsen",
    "SamCoach",
    "Steget vidare",
    "Unga vuxna i arbete",
    "Arbetsintegrerande socialt företag",
    "Lärlingsvux",
    "Projekt Äpplet",
    "Jobbspåret",
)
STRUKTUR_NAMES = (
    "Kompetensutveckling i samverkan",
    "Psykeveckan",
    "Jämställt fritt från våld",
    "Samverkansfrukost",
    "Idéverkstad Loksam",
    "Folkhälsoinsatser",
    "Lokalt analysteam",
    "Utvecklingsledare samverkan",
    "Följeforskning inkluderande arbetsmarknad",
    "Utbildningsdag i samverkan",
)
RESERVE_NAMES = (
    "Reserverade medel för nya insatser",
    "Reserverade medel för nya aktiviteter",
    "Ointecknade medel",
    "Ej fördelade medel",
)
TOTAL_REVENUE_LABELS = ("Parternas insats", "Summa intäkter", "Summa driftbidrag")
TOTAL_COST_LABELS = ("Summa totala kostnader", "Summa kostnader")
RESULT_LABELS = ("Årets resultat", "Budgeterat resultat")
EQUITY_LABELS = ("Prognos eget kapital vid årets slut", "Utgående eget kapital")  # closing
# Opening balances: a starred row has a footnote saying it is the balance at "ingång".
OPENING_EQUITY_LABELS = ("Prognos eget kapital*", "Ingående eget kapital")
EQUITY_USE_LABEL = "Anspråktagande av eget kapital"

INSATS_GOALS = (
    "Fler deltagare ska komma närmare arbete eller studier.",
    "Deltagarna ska uppleva ett samordnat stöd från parterna.",
    "Tiden i sjukskrivning ska förkortas för deltagarna.",
    "Parternas medarbetare ska känna till varandras uppdrag.",
)
INSATS_FOLLOW_UPS = (
    "Insatsen följs upp två gånger per år av styrgruppen.",
    "Skriftlig verksamhetsberättelse vid verksamhetsårets slut.",
    "Uppföljning Finsam och rapport till förbundsstyrelsen.",
)

# (text, targets) with {p} a percent and {n} a count; the targets are exactly what a
# reader of numeric targets finds in the text.
GOAL_TEMPLATES = (
    ("Minst {p} % av deltagarna i individstödjande insatser ska gå vidare till arbete eller studier.", ("Minst {p} %",)),
    ("Andelen deltagare som har egen försörjning efter avslutad insats ska vara minst {p} %.", ("minst {p} %",)),
    ("Förbundsstyrelsen ska träffas minst två gånger per år för att följa upp verksamheten.", ("minst två gånger",)),
    ("Minst {n} personer ska ta del av förbundets individstödjande insatser under året.", ("Minst {n} personer",)),
    ("Förbundet ska genomföra {n} föreläsningar om psykisk hälsa för parternas medarbetare.", ("{n} föreläsningar",)),
    ("Högst {p} % av deltagarna ska avbryta insatsen i förtid.", ("Högst {p} %",)),
    ("Fler än {n} handläggare ska delta i förbundets kompetensutveckling.", ("Fler än {n} handläggare",)),
    ("Samverkan mellan parterna ska stärkas genom gemensamma utbildningar.", ()),
    ("Förbundet ska stödja, samordna och utveckla arbetet med lokala analyser av behoven.", ()),
    ("Fler unga vuxna ska komma närmare arbete eller studier.", ()),
)
GOAL_HOWS = (
    "Genom att samordna parternas insatser kring individen.",
    "Förbundschefen redovisar fördelningen mellan insatserna vid varje styrelsemöte.",
    "Gemensamma utbildningsdagar och nätverksträffar för parternas medarbetare.",
    "Ordföranden kallar till särskilda möten i början av året.",
)
GOAL_MEASURES = (
    "Andel deltagare som går vidare till arbete eller studier.",
    "Antal deltagare i förbundets insatser.",
    "Upplevelse av hur samarbetet fungerar hos samverkande aktörer.",
    "Ekonomisk rapport fördelad på individstödjande och strukturstödjande insatser.",
)
GOAL_FOLLOW_UPS = (
    "Halvårsvis i förbundsstyrelsen.",
    "Rapporteras i delårsrapport och årsredovisning.",
    "Kontinuerlig dialog med styrgruppen och en årlig verksamhetsrapport.",
    "Följs upp i april och september.",
)
EQUITY_LIMIT_TEMPLATES = (
    ("Förbundets eget kapital ska inte överstiga {lim} procent av medlemmarnas årliga bidrag.", "{lim} procent"),
    ("Förbundets eget kapital ska inte överstiga {lim} % av medlemmarnas årliga bidrag.", "{lim} %"),
)
FINANCIAL_GOALS = (
    "God ekonomisk hushållning innebär att förbundet inte får sätta sig i skuld.",
    "Budgeten ska upprättas så att intäkterna täcker kostnaderna över planperioden.",
    "Verksamhetens mål ska stå i relation till de ekonomiska resurser som förbundet har till sitt förfogande.",
    "Förbundet ska sträva efter ett effektivt resursutnyttjande till nytta för målgruppen.",
)
TITLES = ("Verksamhetsplan och budget {year}", "VERKSAMHETSPLAN OCH BUDGET {year}", "Verksamhetsplan {year}")
DECIDED_WORDS = ("Beslutad av förbundsstyrelsen", "Beslutad", "Antagen av förbundsstyrelsen", "Fastställd av styrelsen")
GOAL_HEADINGS = ("Mål för förbundsstyrelsen", "Mål för verksamheten", "Verksamhetsmål", "Styrelsens mål")
# Sentences that motivate a budgeted deficit against eget kapital.
EQUITY_USE_REASONS = (
    "Förbundet budgeterar ett underskott och tar därmed eget kapital i anspråk för nya insatser.",
    "Det egna kapitalet tas i anspråk för att finansiera insatser under planperioden.",
    "Förbundet budgeterar underskott under planperioden för att minska det egna kapitalet mot den rekommenderade nivån.",
    "Underskottet finansieras med eget kapital, som används till insatser för målgruppen.",
)
EQUITY_LIMIT_PERCENT = 20
# The share of a year's costs a clean plan leaves reserved, not yet allocated (FA405's default limit).
RESERVE_LIMIT_PERCENT = 25

# A quarter of the contributions (a region's or the kommuners' share): 0,8–10 mkr a year in all.
QUARTER_KRONOR = (200_000, 2_500_000)
# Amounts are drawn in steps: a tkr plan writes whole tkr or one decimal, a kronor plan
# round thousands or any whole kronor.
_STEPS = {Unit.TKR: (1_000, 100), Unit.KR: (1_000, 1)}
