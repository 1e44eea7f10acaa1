#!/usr/bin/env python3
"""The report on paper and on a 1280 px screen (run by .ci/run; needs
chromium and poppler-utils' pdftotext, which it installs when missing).

Prints every page of three reports to PDF with headless Chromium (the
reference model, a generated 60-system model whose SV-6 is a 60-column
grid, and the reference model with --theme dark) and checks, page by page
of each PDF (text and word boxes from `pdftotext -bbox`):
  - no blank or heading-only sheet (every sheet has at least 60 characters);
  - nothing is cut at the paper's edge: no word reaches past the printable
    area, and every column head of every printed table is in the PDF (a
    table wider than the sheet loses its right-hand columns);
  - every diagram is on one sheet: a sheet holds as many diagram titles
    (the first line each drawing writes) as diagram footers ("drawn by
    revarch", the last), so no drawing starts on one sheet and ends on
    the next;
  - a matrix too wide for a sheet is printed in column chunks that say so.
Then loads every page at 1280 px and checks that the page itself never
scrolls sideways (only a diagram's or a matrix's own box may).
A deliberately bad page (a wide table, a heading alone on a sheet) proves
the checks can fail. Exit 1 with a list of problems when anything fails.
"""
import html
import html.parser
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from browser import BIN, CHROMIUM, FLAGS, ROOT
MIN_CHARS = 60
EDGE = 24  # pt: Chromium's default margin is ~28 pt; a word past this is cut


def squash(s):
    return re.sub(r"\s+", "", html.unescape(s))


class Printed(html.parser.HTMLParser):
    """Column heads of printed tables and the first and last text of each
    inline drawing."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, hidden_in_print)
        self.heads, self.titles = [], []
        self.in_th = self.in_svg_text = False
        self.buf = ""
        self.svg_texts = None

    def hidden(self):
        return any(h for _, h in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        hide = "screen-only" in classes or tag == "nav" or "figbar" in classes
        if tag not in ("br", "meta", "link", "input", "img", "hr"):
            self.stack.append((tag, hide))
        if tag == "th" and a.get("scope") == "col" and not self.hidden():
            self.in_th, self.buf = True, ""
        if tag == "svg" and self.svg_texts is None:
            self.svg_texts = []
        if tag == "text" and self.svg_texts is not None:
            self.in_svg_text, self.buf = True, ""

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        if tag == "th" and self.in_th:
            self.in_th = False
            if squash(self.buf):
                self.heads.append(self.buf.strip())
        if tag == "text" and self.in_svg_text:
            self.in_svg_text = False
            self.svg_texts.append(self.buf.strip())
        if tag == "svg" and self.svg_texts is not None:
            if self.svg_texts and "drawn by revarch" in self.svg_texts[-1]:
                self.titles.append(self.svg_texts[0])
            self.svg_texts = None

    def handle_data(self, data):
        if self.in_th or self.in_svg_text:
            self.buf += data


def pdf_pages(pdf):
    """[(width, [(xMin, xMax, word)])] per sheet."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', out, re.S):
        words = [(float(a), float(b), html.unescape(w))
                 for a, b, w in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', m.group(2))]
        pages.append((float(m.group(1)), words))
    return pages


def print_pdf(page, pdf, profile):
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=180)
    return pdf.exists()


def check_page(page, work, problems):
    pdf = work / (page.parent.name + "-" + page.stem + ".pdf")
    if not print_pdf(page, pdf, work / "profile"):
        problems.append(f"{page}: not printed")
        return 0
    parsed = Printed()
    parsed.feed(page.read_text())
    sheets = pdf_pages(pdf)
    name = f"{page.parent.name}/{page.name}"
    texts = []
    for i, (width, words) in enumerate(sheets, 1):
        text = "".join(w for _, _, w in words)
        texts.append(text)
        if len(text) < MIN_CHARS:
            problems.append(f"{name} sheet {i}/{len(sheets)}: blank or heading only ({text!r})")
        cut = [w for a, b, w in words if b > width - EDGE or a < EDGE - 10]
        if cut:
            problems.append(f"{name} sheet {i}: text at the paper's edge (cut): {cut[:3]}")
        # titles against footers on this sheet (longest titles first: one
        # may begin with another)
        rest = text
        n_titles = 0
        for t in sorted({squash(t) for t in parsed.titles}, key=len, reverse=True):
            n_titles += rest.count(t)
            rest = rest.replace(t, "\x00")
        n_feet = text.count("drawnbyrevarch")
        if n_titles != n_feet:
            problems.append(f"{name} sheet {i}: {n_titles} diagram titles but {n_feet} diagram footers (a drawing split across sheets)")
    # by words: pdftotext may interleave the lines of neighbouring
    # wrapped heads; a cut column loses all of its words
    words = {w for _, ws in sheets for _, _, w in ws}
    missing = [h for h in parsed.heads if not all(w in words for w in html.unescape(h).split())]
    if missing:
        problems.append(f"{name}: {len(missing)} printed column heads are not on paper (cut): {missing[:4]}")
    return len(sheets)


SCROLL = """<script>
window.addEventListener('load', function () {
  var e = document.documentElement, pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify({scroll: e.scrollWidth, client: e.clientWidth});
  document.body.appendChild(pre);
});
</script>"""


def check_sideways(page, work, problems, width=1280):
    copy = page.with_name(".measure-" + page.name)
    copy.write_text(page.read_text().replace("</body>", SCROLL + "</body>"))
    try:
        dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={work / 'profile2'}",
                              f"--window-size={width},1000", "--dump-dom", copy.as_uri()],
                             capture_output=True, text=True, timeout=180).stdout
    finally:
        copy.unlink()
    m = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    if not m:
        problems.append(f"{page.parent.name}/{page.name}: not measured at {width} px")
        return
    got = json.loads(html.unescape(m.group(1)))
    if got["scroll"] > got["client"] + 1:
        problems.append(f"{page.parent.name}/{page.name} scrolls sideways at {width} px ({got['scroll']} > {got['client']})")


def self_test(work):
    """The checks must catch a cut table and a heading alone on a sheet."""
    bad = work / "bad"
    bad.mkdir()
    heads = "".join(f'<th scope="col" style="white-space:nowrap">column-number-{i}</th>' for i in range(40))
    (bad / "bad.html").write_text(
        "<!DOCTYPE html><html><body><h1>A heading</h1><div style='break-after:page'></div>"
        f"<table><thead><tr>{heads}</tr></thead></table></body></html>")
    problems = []
    check_page(bad / "bad.html", work, problems)
    check_sideways(bad / "bad.html", work, problems)
    want = ["heading only", "cut", "sideways"]
    return [w for w in want if not any(w in p for p in problems)]


def main():
    if not CHROMIUM:
        print("SKIPPED: no chromium")
        return 0
    if not shutil.which("pdftotext"):
        r = subprocess.run("apt-get install -y -qq poppler-utils || (apt-get update -qq && apt-get install -y -qq poppler-utils)",
                           shell=True, capture_output=True, env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
        if not shutil.which("pdftotext"):
            print("SKIPPED: poppler-utils (pdftotext) could not be installed")
            return 0
    if not BIN.exists():
        subprocess.run(["cargo", "build", "-q"], cwd=ROOT, check=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="revarch-print-"))
    unseen = self_test(work)
    if unseen:
        print(f"FAIL: the print check does not detect: {unseen}")
        return 1
    problems = []
    run = lambda *a: subprocess.run([str(BIN), *map(str, a)], cwd=ROOT, check=True, capture_output=True)
    run("report", "models", "--out", work / "ref")
    run("report", "models", "--theme", "dark", "--out", work / "dark")
    run("gen", "--systems", "60", "--out", work / "g60")
    run("report", work / "g60", "--out", work / "gen60")
    chunked = False
    for site in ("ref", "dark", "gen60"):
        sheets = 0
        for page in sorted((work / site).glob("*.html")):
            sheets += check_page(page, work, problems)
            check_sideways(page, work, problems)
            chunked |= "the next columns follow below" in page.read_text()
        print(f"  {site}: {sheets} sheets printed")
    if not chunked:
        problems.append("no matrix was printed in column chunks (the 60-system SV-6 should be)")
    for p in problems:
        print("FAIL", p)
    if problems:
        return 1
    print("print and 1280 px: ok")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
