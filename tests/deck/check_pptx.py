#!/usr/bin/env python3
"""Real-client check of `revarch deck` (run by tests/deck/check.sh from .ci/run).

Writes decks of the bundled reference model (light and dark theme, to-be and
as-is) and of a generated 60-system model, reads each back with python-pptx
(what scripts and many converters use to read PowerPoint files) and checks
against an independent source, `revarch render --format dot` of the same
views (node keys and labels, edge ids, ends and direction):
  - the slide count: title, goals, health, plan, one per drawing render writes,
    min(10, findings) focus slides, standards;
  - on every drawing slide, every node of the DOT is an autoshape named
    `Node KEY` whose first paragraph is the node's name;
  - every edge of the DOT is a connector (p:cxnSp) named `Edge ID: …` whose
    begin is glued (a:stCxn) to the shape of its source node and whose end
    (a:endCxn) to its target, with an arrowhead at the end (and at the start
    for a two-way edge);
  - every slide has speaker notes with text;
  - a model whose names are XML-breaking strings shows them as text;
  - the deck is still a deck after an edit: a node is moved, another
    relabelled, the file saved and read again with every connector glued to
    the same shapes, and LibreOffice still converts it;
  - every deck (and every edited one) is valid against the ECMA-376 / Open
    XML SDK schemas (openxml-audit, PyPI);
  - a deck on python-pptx's own PowerPoint-made template (--template).
With LibreOffice (check.sh installs it from Debian), converts the decks to
PDF and checks that pdftotext finds every node name of a drawing slide on
its page. First proves on broken decks that the glue, schema and PDF checks
can fail. Exit 1 listing the problems; a part whose tool is missing is
SKIPPED loudly.
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = ROOT / "target" / "debug" / "revarch"
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
problems = []
# Slides before the drawings: title, goals, health, plan.
FIRST = 4


def run(*args, ok=(0,)):
    r = subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True)
    if r.returncode not in ok:
        raise SystemExit(f"revarch {' '.join(map(str, args))} failed: {r.stderr}")
    return r


def dot_unescape(s):
    return s.replace('\\"', '"').replace("\\\\", "\\")


NODE = re.compile(r'^\s*"((?:[^"\\]|\\.)*)" \[label="((?:[^"\\]|\\.)*)"', re.M)
EDGE = re.compile(r'^\s*"((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)" \[id="((?:[^"\\]|\\.)*)"([^\n]*)', re.M)


def drawings(model, state, tmp):
    """The DOT of every drawing `render` writes, in order: (stem, nodes, edges)."""
    out = tmp / f"dot-{state}"
    r = run("render", model, "--out", out, "--format", "dot", "--state", state)
    result = []
    for line in r.stderr.splitlines():
        if not line.startswith("wrote "):
            continue
        path = pathlib.Path(line[len("wrote "):])
        text = path.read_text()
        nodes = {dot_unescape(k): dot_unescape(l).split("\\n")[0] for k, l in NODE.findall(text)}
        edges = [(dot_unescape(i), dot_unescape(a), dot_unescape(b), "dir=both" in rest)
                 for a, b, i, rest in EDGE.findall(text)]
        result.append((path.stem, nodes, edges))
    return result


def all_shapes(shapes):
    for s in shapes:
        yield s
        if s.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from all_shapes(s.shapes)


def squash(s):
    return re.sub(r"\s+", "", s)


def check_deck(path, model, state, tmp, label):
    report = json.loads(run("check", model, "--format", "json", ok=(0, 1)).stdout)
    n_findings = sum(1 for f in report["findings"] if f["state"] == state)
    dots = drawings(model, state, tmp)
    prs = Presentation(str(path))
    slides = list(prs.slides)
    expected = FIRST + len(dots) + min(10, n_findings) + 1
    if len(slides) != expected:
        problems.append(f"{label}: {len(slides)} slides, expected {expected} "
                        f"({FIRST} + {len(dots)} drawings + {min(10, n_findings)} focus + 1)")
    if prs.slide_width != Emu(12192000) or prs.slide_height != Emu(6858000):
        problems.append(f"{label}: not a 16:9 slide: {prs.slide_width} x {prs.slide_height}")
    for i, slide in enumerate(slides):
        if not slide.has_notes_slide or not slide.notes_slide.notes_text_frame.text.strip():
            problems.append(f"{label}: slide {i + 1} has no speaker notes")
    for k, (stem, nodes, edges) in enumerate(dots):
        slide = slides[FIRST + k] if FIRST + k < len(slides) else None
        if slide is None:
            problems.append(f"{label}: no slide for drawing {stem}")
            continue
        shapes = list(all_shapes(slide.shapes))
        by_name = {s.name: s for s in shapes}
        by_id = {s.shape_id: s for s in shapes}
        for key, name in nodes.items():
            s = by_name.get(f"Node {key}")
            if s is None:
                problems.append(f"{label} {stem}: node {key} has no shape")
                continue
            if s.shape_type != MSO_SHAPE_TYPE.AUTO_SHAPE:
                problems.append(f"{label} {stem}: node {key} is {s.shape_type}, not an autoshape")
            first = s.text_frame.paragraphs[0].text if s.has_text_frame else ""
            if squash(first) != squash(name):
                problems.append(f"{label} {stem}: node {key} says {first!r}, expected {name!r}")
        extra = [s.name for s in shapes if s.name.startswith("Node ") and s.name[5:] not in nodes]
        if extra:
            problems.append(f"{label} {stem}: shapes for nodes not in the view: {extra[:3]}")
        connectors = {s.name.split(":")[0][5:]: s for s in shapes
                      if s.name.startswith("Edge ") and s._element.tag.endswith("}cxnSp")}
        for eid, a, b, both in edges:
            c = connectors.get(eid)
            if c is None:
                problems.append(f"{label} {stem}: edge {eid} has no connector")
                continue
            for end, node in (("stCxn", a), ("endCxn", b)):
                glue = c._element.findall(f"./p:nvCxnSpPr/p:cNvCxnSpPr/a:{end}", NS)
                if not glue:
                    problems.append(f"{label} {stem}: edge {eid} {end} is not glued")
                    continue
                target = by_id.get(int(glue[0].get("id")))
                if target is None or target.name != f"Node {node}":
                    problems.append(f"{label} {stem}: edge {eid} {end} glued to "
                                    f"{target.name if target is not None else 'nothing'}, expected Node {node}")
            ln = c._element.find("./p:spPr/a:ln", NS)
            if ln is None or ln.find("a:tailEnd", NS) is None:
                problems.append(f"{label} {stem}: edge {eid} has no arrowhead at its end")
            if both and (ln is None or ln.find("a:headEnd", NS) is None):
                problems.append(f"{label} {stem}: two-way edge {eid} has no arrowhead at its start")
        if len(connectors) != len(edges):
            problems.append(f"{label} {stem}: {len(connectors)} connectors for {len(edges)} edges")
    # An edit: move a node (left and top), change another node's label,
    # save, read back: the glue of every connector still names the same
    # shapes, and LibreOffice still converts the file with the moved name
    # and the new label on the page.
    if dots and len(slides) > FIRST and label != "broken":
        edit_deck(prs, slides, path, dots[0][1], tmp, label)
    return dots


def glue_map(slide):
    """Connector name → (start shape name, end shape name) by the glue ids."""
    shapes = list(all_shapes(slide.shapes))
    by_id = {s.shape_id: s.name for s in shapes}
    result = {}
    for s in shapes:
        if not s._element.tag.endswith("}cxnSp"):
            continue
        ends = []
        for end in ("stCxn", "endCxn"):
            g = s._element.findall(f"./p:nvCxnSpPr/p:cNvCxnSpPr/a:{end}", NS)
            ends.append(by_id.get(int(g[0].get("id"))) if g else None)
        result[s.name] = tuple(ends)
    return result


EDITED = "Edited by hand"


def edit_deck(prs, slides, path, names, tmp, label):
    slide = slides[FIRST]
    nodes = [s for s in all_shapes(slide.shapes) if s.name.startswith("Node ") and s.has_text_frame]
    if len(nodes) < 2:
        return
    before = glue_map(slide)
    moved, relabelled = nodes[0], nodes[1]
    moved_name = names.get(moved.name[5:], "")
    moved.left = moved.left + Emu(254000)
    moved.top = moved.top + Emu(127000)
    runs = relabelled.text_frame.paragraphs[0].runs
    if not runs:
        problems.append(f"{label}: node {relabelled.name} has no text run to edit")
        return
    runs[0].text = EDITED
    for r in runs[1:]:
        r.text = ""
    edited = tmp / f"{path.stem}-edited.pptx"
    prs.save(str(edited))
    again = Presentation(str(edited))
    if len(again.slides) != len(slides):
        problems.append(f"{label}: the edited deck lost slides")
        return
    s2 = again.slides[FIRST]
    after = glue_map(s2)
    if after != before:
        changed = [k for k in before if before[k] != after.get(k)]
        problems.append(f"{label} (edited): connector glue changed: {changed[:3]}")
    m2 = next((s for s in all_shapes(s2.shapes) if s.name == moved.name), None)
    if m2 is None or m2.left != moved.left or m2.top != moved.top:
        problems.append(f"{label} (edited): the moved shape is not where it was moved to")
    print(f"ok   {label} (edited): moved {moved.name}, relabelled {relabelled.name}; "
          f"{len(after)} connectors keep their glue")
    schema(edited, f"{label} (edited)")
    soffice(edited, {FIRST + 1: [moved_name, EDITED]}, f"{label} (edited)", tmp)


# openxml-audit, run as a module of this interpreter (a venv's or a --user
# install alike).
import importlib.util
AUDIT = [sys.executable, "-m", "openxml_audit"] if importlib.util.find_spec("openxml_audit") else None


def schema(path, label):
    """Validates every part against the ECMA-376 / Open XML SDK schemas
    (element order, required attributes, enumerations) with openxml-audit
    (PyPI, pure Python). Returns True when it ran and found nothing."""
    if not AUDIT:
        return False
    r = subprocess.run([*AUDIT, "-q", "-m", "20", "-o", "json", str(path)],
                       capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(r.stdout)[0]
    except (ValueError, IndexError, KeyError):
        problems.append(f"{label}: openxml-audit gave no report (exit {r.returncode}): {r.stderr[-300:]}")
        return False
    if r.returncode != 0 or not report.get("valid"):
        errs = [f"{e.get('part_uri')}: {e.get('description')}" for e in report.get("errors", [])[:3]]
        problems.append(f"{label}: not schema-valid ({report.get('error_count')} errors): {errs}")
        return False
    print(f"ok   {label}: schema-valid (openxml-audit, {report.get('format')})")
    return True


LIBREOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


def page_text(pdf, page):
    """The text of one page of a PDF (pdftotext -f N -l N)."""
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True).stdout


def found(name, text):
    """Whether `name` is on a page whose text is `text`.

    pdftotext breaks a long name across lines (and LibreOffice may hyphenate
    a word at a line end), so both are compared without white space, once
    as they are and once with every hyphen that ends a line of the page
    dropped (and soft hyphens removed). Every other character must match.
    """
    want = squash(name.replace("\u00ad", ""))
    text = text.replace("\u00ad", "")
    if want in squash(text):
        return True
    return want in squash(re.sub(r"[-\u2010]\s*\n\s*", "", text))


def soffice(path, names_by_page, label, tmp):
    """Converts the deck to PDF with LibreOffice (headless, a profile of its
    own) and checks that pdftotext finds every name of a page on that page.
    Returns the PDF's path, or None when it could not be made."""
    if not LIBREOFFICE or not HAVE_PDFTOTEXT:
        return None
    out = tmp / "pdf"
    # A profile of its own: works as root, in parallel, and another
    # LibreOffice running on the machine (or a stale lock) must not swallow
    # the conversion.
    profile = (tmp / f"lo-profile-{path.stem}").as_uri()
    try:
        r = subprocess.run([LIBREOFFICE, f"-env:UserInstallation={profile}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(out), str(path)],
                           capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        problems.append(f"{label}: LibreOffice did not finish within 300 s")
        return None
    pdf = out / (path.stem + ".pdf")
    if r.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        problems.append(f"{label}: LibreOffice did not convert the deck "
                        f"(exit {r.returncode}): {(r.stderr or r.stdout)[-300:]}")
        return None
    pages = len(Presentation(str(path)).slides)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", info, re.M)
    if m and int(m.group(1)) != pages:
        problems.append(f"{label}: the PDF has {m.group(1)} pages for {pages} slides")
    checked = 0
    for page, names in names_by_page.items():
        text = page_text(pdf, page)
        missing = [n for n in names if n and not found(n, text)]
        checked += len(names)
        if missing:
            problems.append(f"{label}: page {page} of the PDF lacks {missing[:3]}")
    print(f"ok   {label}: LibreOffice converted it ({pdf.stat().st_size} bytes of PDF, "
          f"{checked} names found on their pages)")
    return pdf


def lo_self_test(pdf, names_by_page, label):
    """The name check must be able to fail: a name that is not in the deck
    is not found, and the names of a drawing are not all on the title page."""
    first_page, names = next(iter(names_by_page.items()))
    title = page_text(pdf, 1)
    if found("revarch-no-such-name-x7", page_text(pdf, first_page)):
        problems.append(f"{label}: the PDF check finds a name that is not there")
    if names and all(found(n, title) for n in names):
        problems.append(f"{label}: the PDF check finds the drawing's names on the title page")
    else:
        print(f"ok   {label}: the PDF check tells pages apart and misses absent names")


# Names that would break the XML of a slide if they were not escaped.
HOSTILE = ["</a:t></a:r></a:p><p:sp>x & y", '"/><a:stCxn id="1" idx="0"/> <b>\'q\'</b>']


def hostile_model(tmp):
    """A small model whose names are all XML-breaking strings."""
    model = tmp / "evil"
    model.mkdir()
    h0, h1 = (json.dumps(h) for h in HOSTILE)
    (model / "av.ron").write_text(f'(name: {h0}, purpose: {h1}, plan_period: {h1}, goals: [(id: "g", name: {h0}, target: {h1})])')
    (model / "ov.ron").write_text(f'(performers: [(id: "p", name: {h0})], activities: [(id: "a", name: {h1}, performer: "p", stage: close, systems: ["s"], inputs: ["e"])])')
    (model / "sv.ron").write_text(f'(systems: [(id: "s", name: {h0}, kind: crm, vendor: {h1}, owner: "p", holds: [(entity: "e", role: record)]), (id: "t", name: {h1}, kind: bi)], integrations: [(id: "i", name: {h0}, source: "s", target: "t", carries: ["e"], mechanism: api, frequency: daily)])')
    (model / "stdv.ron").write_text(f'(standards: [(id: "k", name: {h0}, kind: kpi(formula: {h1}, unit: {h0}, computed_from: ["e"], computed_in: "t"))])')
    (model / "div.ron").write_text(f'(entities: [(id: "e", name: {h1}, classification: pii, attributes: [(name: {h0}, key: true)])])')
    return model


def check_template(tmp):
    """--template: python-pptx's default template (a PowerPoint-made master
    with eleven layouts and the Office theme), saved at 16:9 with a slide of
    its own, styles the deck: python-pptx reads it, the slides' layouts are
    the template's (Title Slide, Title Only, Blank), its theme is the
    template's, its own slide is not kept, and LibreOffice converts it. A
    4:3 template is refused with a clear error and writes nothing."""
    label = "template"
    tpl = Presentation()
    four_three = tmp / "company-4x3.pptx"
    tpl.save(str(four_three))
    tpl.slide_width, tpl.slide_height = Emu(12192000), Emu(6858000)
    own = tpl.slides.add_slide(tpl.slide_layouts[1])
    own.shapes.title.text = "The company's own slide"
    company = tmp / "company.pptx"
    tpl.save(str(company))
    layout_names = {l.name for l in Presentation(str(company)).slide_layouts}
    out = tmp / "templated.pptx"
    run("deck", ROOT / "models", "--out", out, "--template", company)
    again = tmp / "templated-again.pptx"
    run("deck", ROOT / "models", "--out", again, "--template", company)
    if out.read_bytes() != again.read_bytes():
        problems.append(f"{label}: two runs with the same template differ")
    before = len(problems)
    dots = check_deck(out, ROOT / "models", "to-be", tmp, label)
    schema(out, label)
    prs = Presentation(str(out))
    slides = list(prs.slides)
    names = [s.slide_layout.name for s in slides]
    if set(names) - layout_names:
        problems.append(f"{label}: layouts not from the template: {set(names) - layout_names}")
    want = {0: "Title Slide", 1: "Title Only", FIRST: "Blank"}
    for k, name in want.items():
        if k < len(names) and names[k] != name:
            problems.append(f"{label}: slide {k + 1} is on layout {names[k]!r}, expected {name!r}")
    title = slides[1].shapes.title if len(slides) > 1 else None
    if title is None or "Goals" not in title.text:
        problems.append(f"{label}: the goals slide has no title placeholder saying so")
    texts = " ".join(sh.text_frame.text for sl in slides for sh in sl.shapes if sh.has_text_frame)
    if "The company's own slide" in texts:
        problems.append(f"{label}: the template's own slide was kept")
    import zipfile
    with zipfile.ZipFile(out) as z, zipfile.ZipFile(company) as t:
        theme = t.read("ppt/theme/theme1.xml")
        if z.read("ppt/theme/theme1.xml") != theme:
            problems.append(f"{label}: the deck's theme is not the template's")
        if b"Calibri" not in theme:
            problems.append(f"{label}: python-pptx's template no longer uses Calibri (check is stale)")
        if b'typeface="+mn-lt"' not in z.read("ppt/slides/slide2.xml"):
            problems.append(f"{label}: the goals slide does not use the theme's body font")
    if len(problems) == before:
        print(f"ok   {label}: python-pptx reads it; layouts {sorted(set(names))} from the template, "
              f"its theme and no slide of its own")
    by_page = {FIRST + 1 + k: list(nodes.values()) for k, (_, nodes, _) in enumerate(dots)}
    soffice(out, by_page, label, tmp)
    bad_out = tmp / "four-three.pptx"
    r = run("deck", ROOT / "models", "--out", bad_out, "--template", four_three, ok=(2,))
    if "not 16:9" not in r.stderr or bad_out.exists():
        problems.append(f"{label}: a 4:3 template is not refused clearly: {r.stderr.strip()}")
    else:
        print(f"ok   {label}: a 4:3 template is refused: {r.stderr.strip()[:100]}…")


def main():
    if not BIN.exists():
        subprocess.run(["cargo", "build", "-q"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        # The check must be able to fail: a deck whose connector is unglued.
        run("deck", ROOT / "models", "--out", tmp / "plan.pptx", "--view", "sv-1")
        broken = tmp / "broken.pptx"
        import zipfile
        with zipfile.ZipFile(tmp / "plan.pptx") as z, zipfile.ZipFile(broken, "w") as w:
            for item in z.infolist():
                data = z.read(item.filename)
                if item.filename == f"ppt/slides/slide{FIRST + 1}.xml":
                    data = re.sub(rb"<a:stCxn [^>]*/>", b"", data, count=1)
                w.writestr(item, data)
        before = len(problems)
        check_deck(broken, ROOT / "models", "to-be", tmp, "broken")
        if len(problems) == before:
            print("FAIL: the check does not notice an unglued connector")
            sys.exit(1)
        del problems[before:]
        print("ok   the check notices an unglued connector")
        if AUDIT:
            # The schema check must be able to fail: an anchor value the
            # schema does not allow.
            invalid = tmp / "invalid.pptx"
            with zipfile.ZipFile(tmp / "plan.pptx") as z, zipfile.ZipFile(invalid, "w") as w:
                for item in z.infolist():
                    data = z.read(item.filename)
                    if item.filename == f"ppt/slides/slide{FIRST + 1}.xml":
                        data = data.replace(b'anchor="ctr"', b'anchor="middle"', 1)
                    w.writestr(item, data)
            before = len(problems)
            schema(invalid, "invalid")
            if len(problems) == before:
                print("FAIL: the schema check does not notice an invalid attribute value")
                sys.exit(1)
            del problems[before:]
            print("ok   the schema check notices an invalid attribute value")

        gen = tmp / "gen"
        run("gen", "--systems", "60", "--out", gen)
        evil = hostile_model(tmp)
        cases = [(ROOT / "models", "to-be", "light"), (ROOT / "models", "as-is", "dark"),
                 (evil, "to-be", "light")]
        if gen.exists():
            cases.append((gen, "to-be", "print"))
        for model, state, theme in cases:
            label = f"{model.name} {state} {theme}"
            path = tmp / f"{model.name}-{state}-{theme}.pptx"
            run("deck", model, "--out", path, "--state", state, "--theme", theme)
            before = len(problems)
            dots = check_deck(path, model, state, tmp, label)
            schema(path, label)
            if model == evil:
                texts = " ".join(s.text_frame.text for slide in Presentation(str(path)).slides
                                 for s in all_shapes(slide.shapes) if s.has_text_frame)
                for h in HOSTILE:
                    if h not in texts:
                        problems.append(f"{label}: hostile name {h!r} is not shown as text")
            if len(problems) == before:
                print(f"ok   {label}: {len(dots)} drawing slides, nodes are autoshapes with their "
                      f"names, edges glued connectors, notes on every slide")
            if theme == "light":
                by_page = {FIRST + 1 + k: list(nodes.values()) for k, (_, nodes, _) in enumerate(dots)}
                pdf = soffice(path, by_page, label, tmp)
                if pdf is not None and model == ROOT / "models":
                    lo_self_test(pdf, by_page, label)
        check_template(tmp)
    if not AUDIT:
        print("!!!!!!!! deck: openxml-audit missing: the schema validation was SKIPPED !!!!!!!!")
    if not LIBREOFFICE or not HAVE_PDFTOTEXT:
        print("!!!!!!!! deck: LibreOffice (soffice) or pdftotext missing: the PDF checks were SKIPPED !!!!!!!!")
    if problems:
        print("\n".join(f"FAIL {p}" for p in problems))
        print("deck: FAILED")
        sys.exit(1)
    print("deck: every deck reads back in python-pptx with glued connectors and notes")


if __name__ == "__main__":
    main()
