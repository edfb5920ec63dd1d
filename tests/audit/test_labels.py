"""Every action code the code base writes has a Danish label (issue 22)."""

import re
import subprocess

from audit.labels import ACTION_LABELS, PREFIX_LABELS, action_label
from tests.conftest import ROOT


def test_every_action_code_written_has_a_danish_label():
    sources = subprocess.check_output(["git", "ls-files", "*.py"], cwd=ROOT, text=True).split()
    codes = set()
    for path in sources:
        if path.startswith("tests/"):
            continue
        text = (ROOT / path).read_text()
        codes |= set(re.findall(r'action=f?"([a-z_]+\.[a-z_.]+)"', text))
    known = tuple(PREFIX_LABELS)
    missing = [c for c in sorted(codes) if c not in ACTION_LABELS and not c.startswith(known)]
    assert codes, "no action codes found: the pattern no longer matches the code"
    assert not missing, f"action codes without a Danish label in audit/labels.py: {missing}"


def test_labels_are_danish_and_an_unknown_code_is_shown_as_it_is():
    assert action_label("contract.sign.chief") == "Kontrakt underskrevet af jobcenterchefen"
    assert action_label("contract.pdf.signed") == "Kontrakt-PDF dannet (signed)"
    assert action_label("ukendt.kode") == "ukendt.kode"
