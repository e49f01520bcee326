"""`python -m finsam_audit` runs the command line, as the installed `finsam-audit` does."""

from finsam_audit.cli import main

main(prog_name="finsam-audit")
