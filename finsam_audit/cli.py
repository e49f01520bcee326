"""Command line: finsam-audit parse | schema | audit | rules | explain.

Unusable input ends with one line naming the file (and line) on stderr and exit
code 2; never a traceback.
"""

from __future__ import annotations

import click

from finsam_audit import __version__


@click.group(help="Granskar samordningsförbunds verksamhetsplan och budget mot Finsam-kraven.")
@click.version_option(__version__, prog_name="finsam-audit", message="%(prog)s %(version)s")
def main() -> None:
    pass
