#!/usr/bin/env bash
# Real-client check of `revarch deck`: reads the decks back with python-pptx
# (tests/deck/check_pptx.py) and validates them against the OOXML schemas
# with openxml-audit (PyPI, installed beside python-pptx). Installs python-pptx from PyPI into a virtual
# environment under target/ (Debian's python3-venv is installed first when
# the interpreter has no venv/ensurepip), falling back to `pip install
# --user`; skips loudly only when neither works. LibreOffice Impress and
# poppler-utils (pdftotext) are installed from Debian when `soffice` is
# missing; if that fails, only the PDF part is skipped, loudly. Run from the
# repository root.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x target/debug/revarch ] || cargo build -q

venv=target/pptx-venv
py=""
make_venv() {
  rm -rf "$venv"
  python3 -m venv "$venv" >/tmp/revarch-venv.log 2>&1 &&
    "$venv/bin/python" -m pip install -q --disable-pip-version-check python-pptx >>/tmp/revarch-venv.log 2>&1
}
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import pptx' 2>/dev/null; then
  py="$venv/bin/python"
elif make_venv; then
  py="$venv/bin/python"
else
  echo "python-pptx: no working venv (see /tmp/revarch-venv.log); installing python3-venv"
  if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip; } \
      >/tmp/revarch-apt-venv.log 2>&1 && make_venv; then
    py="$venv/bin/python"
  elif python3 -m pip install -q --user python-pptx >/tmp/revarch-pip.log 2>&1 ||
       python3 -m pip install -q --user --break-system-packages python-pptx >>/tmp/revarch-pip.log 2>&1; then
    py=python3
  fi
fi
if [ -z "$py" ] || ! "$py" -c 'import pptx' 2>/dev/null; then
  echo "!!!!!!!! deck: python-pptx could not be installed (see /tmp/revarch-venv.log, /tmp/revarch-pip.log): SKIPPED !!!!!!!!"
  exit 0
fi
# The schema validator (ECMA-376 / Open XML SDK schemas, pure Python).
if ! "$py" -c 'import openxml_audit' 2>/dev/null; then
  "$py" -m pip install -q --disable-pip-version-check openxml-audit >/tmp/revarch-openxml-audit.log 2>&1 ||
    "$py" -m pip install -q --user --break-system-packages openxml-audit >>/tmp/revarch-openxml-audit.log 2>&1 ||
    echo "!!!!!!!! deck: openxml-audit could not be installed (see /tmp/revarch-openxml-audit.log): schema validation SKIPPED !!!!!!!!"
fi
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  echo "deck: installing libreoffice-impress and poppler-utils (log: /tmp/revarch-apt-lo.log)"
  if ! { apt-get update -qq &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
           libreoffice-impress poppler-utils; } >/tmp/revarch-apt-lo.log 2>&1; then
    echo "!!!!!!!! deck: LibreOffice could not be installed (see /tmp/revarch-apt-lo.log): the LibreOffice/PDF checks are SKIPPED; python-pptx checks still run !!!!!!!!"
  fi
fi
"$py" tests/deck/check_pptx.py
