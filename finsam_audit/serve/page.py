"""The web page in Swedish: the upload form, the result with downloads and the what-if.

The report itself is report/html.py's, shown in a frame from the server; the page adds
only what is around it. CSS and the little script are inline: the page loads nothing
from anywhere else. Every text from a user or a file is escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from finsam_audit import __version__
from finsam_audit.model import Document
from finsam_audit.read import plan_suffixes
from finsam_audit.report.html import CSS as REPORT_CSS
from finsam_audit.report.parts import NOTICE, html_text, severity_counts
from finsam_audit.review.whatif import drop_choices
from finsam_audit.serve.store import SECONDS, SIZE, Audited
from finsam_audit.serve.uploads import MAX_FILE_BYTES, MAX_FILES, MAX_REQUEST_BYTES, TOO_MUCH, megabytes

HEADING = "Granska verksamhetsplan och budget"


@dataclass(frozen=True)
class Download:
    label: str
    fmt: str  # report.output's format
    media_type: str


# The report's formats offered for download, by file suffix, in the page's order.
DOWNLOADS = {
    "html": Download("HTML", "html", "text/html; charset=utf-8"),
    "pdf": Download("PDF", "pdf", "application/pdf"),
    "md": Download("Markdown", "markdown", "text/markdown; charset=utf-8"),
    "json": Download("JSON", "json", "application/json"),
}

PAGE_CSS = """
.upload label.drop { display: block; border: 2px dashed #9aa5b1; border-radius: 10px; padding: 1.6rem 1.2rem;
  text-align: center; background: #f7f9fb; cursor: pointer; }
.upload label.drop.over { border-color: var(--observation); background: #eaf2fb; }
.upload label.drop strong { display: block; font-size: 1.15rem; margin-bottom: .5rem; }
.upload input[type=file] { position: absolute; width: 1px; height: 1px; opacity: 0; }
.upload .choose { display: inline-block; margin: .6rem auto; padding: .35rem 1rem; border: 1px solid var(--ink);
  border-radius: 6px; background: #fff; font-weight: 600; }
.upload label.drop:focus-within .choose { outline: 2px solid var(--observation); outline-offset: 2px; }
.hint { color: var(--muted); font-size: .9rem; }
ul.chosen { list-style: none; padding: 0; margin: .6rem 0; }
ul.chosen li.too-large { color: var(--fel); }
button { font: inherit; font-weight: 600; padding: .5rem 1.4rem; background: var(--ink); color: #fff; border: 0;
  border-radius: 6px; cursor: pointer; margin-top: .6rem; }
button[disabled] { opacity: .6; cursor: progress; }
.messages { border-left: 6px solid var(--fel); background: #fdf3f2; padding: .5rem 1rem; margin: 1rem 0; }
.messages h3 { margin: .2rem 0 .4rem; }
.messages ul { margin: .2rem 0; padding-left: 1.2rem; }
.downloads a { display: inline-block; margin: .2rem .4rem .2rem 0; padding: .3rem .9rem; border: 1px solid var(--ink);
  border-radius: 6px; color: var(--ink); text-decoration: none; font-weight: 600; }
.downloads a:hover { background: #f1f3f6; }
form.whatif { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: .6rem 1rem;
  align-items: end; background: #f7f9fb; border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; }
form.whatif label { display: flex; flex-direction: column; font-size: .9rem; font-weight: 600; gap: .2rem; }
form.whatif .wide { grid-column: 1 / -1; }
form.whatif input, form.whatif select { font: inherit; font-weight: 400; padding: .3rem .4rem; }
section.whatif summary { cursor: pointer; }
section.whatif summary h2 { display: inline; border: 0; }
section.whatif details { border-bottom: 2px solid var(--ink); padding-bottom: .6rem; margin-top: 2rem; }
.whatif-result { margin-top: 1rem; }
.whatif-result h2 { font-size: 1.2rem; }
tr.year-start td { border-top: 2px solid var(--line); }
.error { color: var(--fel); font-weight: 600; }
iframe.report { width: 100%; min-height: 80vh; border: 1px solid var(--line); border-radius: 8px; margin-top: 1rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
"""

SCRIPT = """
(() => {
  const drop = document.querySelector('label.drop');
  if (drop) {
    const input = drop.querySelector('input[type=file]');
    const list = document.querySelector('ul.chosen');
    const show = () => {
      list.replaceChildren(...[...input.files].map(file => {
        const item = document.createElement('li');
        const large = file.size > Number(drop.dataset.limit);
        item.textContent = file.name + (large ? ' – ' + drop.dataset.tooLarge : '');
        if (large) item.className = 'too-large';
        return item;
      }));
    };
    input.addEventListener('change', show);
    for (const type of ['dragenter', 'dragover']) {
      drop.addEventListener(type, event => { event.preventDefault(); drop.classList.add('over'); });
    }
    for (const type of ['dragleave', 'drop']) {
      drop.addEventListener(type, event => { event.preventDefault(); drop.classList.remove('over'); });
    }
    drop.addEventListener('drop', event => { input.files = event.dataTransfer.files; show(); });
    drop.form.addEventListener('submit', event => {
      const files = [...input.files];
      const alert = drop.form.querySelector('p.error');
      if (files.length > Number(drop.dataset.maxFiles)
          || files.reduce((sum, file) => sum + file.size, 0) > Number(drop.dataset.maxTotal)) {
        event.preventDefault();
        alert.textContent = drop.dataset.tooMuch;
        alert.hidden = false;
        return;
      }
      const button = drop.form.querySelector('button');
      button.disabled = true;
      button.textContent = 'Granskar …';
    });
  }
  const plan = document.querySelector('form.whatif select[name=plan]');
  const gone = document.querySelector('form.whatif select[name=avsluta]');
  if (plan && gone) {
    const sync = () => {
      for (const group of gone.querySelectorAll('optgroup')) {
        group.hidden = group.disabled = group.dataset.plan !== plan.value;
      }
      if (gone.selectedOptions[0] && gone.selectedOptions[0].parentElement.disabled) gone.value = '';
    };
    plan.addEventListener('change', sync);
    sync();
  }
  const frame = document.querySelector('iframe.report');
  if (frame) {
    const fit = () => {
      const inner = frame.contentDocument;
      if (inner && inner.documentElement) frame.style.height = (inner.documentElement.scrollHeight + 24) + 'px';
    };
    frame.addEventListener('load', fit);
    window.addEventListener('resize', fit);
  }
})();
"""


def _e(text: object) -> str:
    """A label, or a value as the user typed it; messages and results are typeset (html_text)."""
    return html.escape(str(text), quote=True)


@dataclass
class WhatIfView:
    """The what-if form's values as the user gave them, and what came of them."""

    values: dict[str, str] = field(default_factory=dict)
    result_html: str | None = None  # report/whatif.py's section
    error: str | None = None


def page(body: list[str]) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="sv">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(HEADING)}</title>",
        '<link rel="icon" href="data:,">',
        f"<style>{REPORT_CSS}{PAGE_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(HEADING)}</h1>",
        '<p class="lead">Granskar samordningsförbundets verksamhetsplan och budget mot Finsam-kraven. '
        "Sidan körs på den här datorn: filerna läses här, skickas ingenstans och sparas inte på disk.</p>",
        "</header>",
        *body,
        f'<footer>finsam-audit {_e(__version__)}. Underlag för granskning, inte revisorernas rapport.</footer>',
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]) + "\n"


def messages(heading: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return ['<section class="messages" role="alert">', f"<h3>{_e(heading)}</h3>",
            "<ul>" + "".join(f"<li>{html_text(item)}</li>" for item in items) + "</ul>", "</section>"]


def upload_form(problems: list[str] | None = None) -> list[str]:
    return [
        '<section class="upload">',
        "<h2>Granska planer</h2>",
        *messages("Det gick inte att granska", problems or []),
        '<form method="post" action="/granska" enctype="multipart/form-data">',
        f'<label class="drop" data-limit="{MAX_FILE_BYTES}" data-too-large="större än {megabytes(MAX_FILE_BYTES)}, '
        f'läses inte" data-max-files="{MAX_FILES}" data-max-total="{MAX_REQUEST_BYTES}" data-too-much="{_e(TOO_MUCH)}">',
        "<strong>Släpp filerna här</strong>",
        f'<input type="file" name="filer" multiple accept="{_e(",".join(plan_suffixes()))}">',
        '<span class="choose">eller välj filer …</span><br>',
        '<span class="hint">Verksamhetsplan och budget som PDF, Word (.docx), text (.txt) eller YAML-plan; '
        f"högst {megabytes(MAX_FILE_BYTES)} per fil och {MAX_FILES} filer åt gången. Flera filer för samma "
        "förbund (planer för olika år, styrelseprotokoll) granskas tillsammans som en akt.</span>",
        "</label>",
        '<ul class="chosen"></ul>',
        '<p class="error" role="alert" hidden></p>',
        '<button type="submit">Granska</button>',
        "</form>",
        "</section>",
    ]


def _plan_label(document: Document) -> str:
    year = f", plan {document.plan_year}" if document.plan_year else ""
    return f"{document.forbund or 'Okänt förbund'}{year} ({document.source})"


def _whatif_form(key: str, plans: list[Document], view: WhatIfView) -> list[str]:
    values = view.values

    def selected(name: str, value: str) -> str:
        return " selected" if values.get(name, "") == value else ""

    def text(name: str, label: str, placeholder: str, css: str = "") -> str:
        return (f'<label{css}>{_e(label)}<input name="{name}" value="{_e(values.get(name, ""))}" '
                f'placeholder="{_e(placeholder)}"></label>')

    plan_options = "".join(f'<option value="{i}"{selected("plan", str(i))}>{_e(_plan_label(d))}</option>'
                           for i, d in enumerate(plans))
    drop_groups = "".join(
        f'<optgroup label="{_e(_plan_label(d))}" data-plan="{i}">'
        + "".join(f'<option value="{_e(name)}"{selected("avsluta", name)}>{_e(name)}</option>' for name in drop_choices(d))
        + "</optgroup>"
        for i, d in enumerate(plans)
    )
    return [
        f'<form class="whatif" method="post" action="/granskning/{key}/vad-om">',
        f'<label class="wide">Plan<select name="plan">{plan_options}</select></label>',
        text("namn", "Nytt bidrag: insatsens namn", "t.ex. Steg till arbete"),
        '<label>Slag<select name="typ">'
        f'<option value="individ"{selected("typ", "individ")}>individinriktad</option>'
        f'<option value="struktur"{selected("typ", "struktur")}>strukturövergripande</option></select></label>',
        text("belopp", "Belopp per år", "500 000 kr eller 500 tkr"),
        text("ar", "År (tomt: varje planår)", "t.ex. 2026"),
        f'<label class="wide">Insats som avslutas<select name="avsluta"><option value="">ingen</option>{drop_groups}'
        "</select></label>",
        '<div><button type="submit">Pröva</button></div>',
        "</form>",
    ]


def _whatif(key: str, audited: Audited, view: WhatIfView) -> list[str]:
    plans = audited.plans
    tried = view.error is not None or view.result_html is not None
    out = ['<section class="whatif" id="vad-om">', f"<details{' open' if tried else ''}>",
           "<summary><h2>Vad händer om …? Pröva ett beslut före och efter</h2></summary>"]
    if not plans:
        return out + ["<p>Ingen av filerna innehåller en verksamhetsplan med budget per år att pröva beslut på.</p>",
                      "</details>", "</section>"]
    out.append("<p>Pröva ett beslut innan styrelsen fattar det: ett nytt bidrag eller en insats som avslutas. "
               "Planen visas före och efter per planår, som kommandot <code>finsam-audit whatif</code> visar den. "
               "Ett nytt bidrag tas ur planens reserverade medel så långt de räcker, annars blir det en ny kostnad.</p>")
    out += _whatif_form(key, plans, view)
    if view.error:
        out.append(f'<p class="error" role="alert">{html_text(view.error)}</p>')
    if view.result_html:
        out.append(view.result_html)
    out += ["</details>", "</section>"]
    return out


def result_view(key: str, audited: Audited, view: WhatIfView | None = None) -> list[str]:
    result = audited.result
    count = len(result.documents) - len(result.errors())
    links = "".join(f'<a href="/granskning/{key}/rapport.{suffix}" download>{_e(download.label)}</a>'
                    for suffix, download in DOWNLOADS.items())
    return [
        '<section class="result">',
        "<h2>Resultat</h2>",
        *messages("Filer som inte kunde läsas eller granskas", audited.failure_messages),
        f"<p>{count} {'dokument granskat' if count == 1 else 'dokument granskade'}; "
        f"iakttagelser: {html_text(severity_counts(result.documents))}.</p>",
        f'<p class="downloads">Ladda ner rapporten: {links}</p>',
        '<p><a href="/">Granska andra filer</a></p>',
        "</section>",
        *_whatif(key, audited, view or WhatIfView()),
        f'<iframe class="report" title="{NOTICE}" sandbox="allow-same-origin" '
        f'src="/granskning/{key}/rapport"></iframe>',
    ]


def gone_view() -> list[str]:
    return [
        *messages("Granskningen finns inte längre", [
            f"Sidan minns de {SIZE} senaste granskningarna i {SECONDS // 60} minuter, och inget när den startats om. "
            "Ladda upp filerna igen."]),
        *upload_form(),
    ]
