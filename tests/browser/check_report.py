#!/usr/bin/env python3
"""Real-browser check of `revarch report` (run by .ci/run; needs chromium).

For the bundled reference model (multi-page and --single-file) and for a
model full of hostile names, loads every page in headless Chromium and
checks, on the DOM Chromium actually built:
  - every internal link (href="page.html#id" / "#id") resolves to a page and
    an element id that exist;
  - nothing is fetched from the network (Chromium's own net log lists every
    request; only file:// and data: are allowed);
  - no script element, event-handler attribute or javascript: URL exists
    (hostile names must stay text), and the hostile names appear as text;
  - no console errors;
  - every drawing's "open full size" / "download SVG" link names an SVG file
    that exists beside the pages (svg/NAME.svg);
  - every diagram is shown at no less than 0.75 of its drawn size, at most at
    its drawn size, fitted to its box when 0.75 allows, and scrolls inside its
    box exactly when it is wider than 0.75 allows (measured in copies of the
    pages with a measuring script, at 1280 and 1920 pixels wide and at 960,
    which is 200 % browser zoom on a 1920 screen).
Also saves a screenshot of the overview page next to the report.
Exit 1 with a list of problems when anything fails.
"""
import html
import html.parser
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from browser import BIN, CHROMIUM, FLAGS, ROOT
HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.hrefs, self.scripts, self.handlers, self.text = set(), [], 0, [], []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name == "href" and value is not None:
                self.hrefs.append(value)
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}=…>")
            if name in ("href", "src") and value and value.strip().lower().startswith("javascript:"):
                self.handlers.append(f"<{tag} {name}=javascript:…>")

    def handle_data(self, data):
        self.text.append(data)


def chromium(page, workdir, extra=()):
    """DOM as Chromium built it, the URLs it requested, console errors."""
    netlog = workdir / f"net-{page.stem}.json"
    args = [CHROMIUM, *FLAGS, f"--user-data-dir={workdir / 'profile'}", f"--log-net-log={netlog}",
            "--enable-logging=stderr", "--v=0", *extra, "--dump-dom", page.as_uri()]
    run = subprocess.run(args, capture_output=True, text=True, timeout=120)
    urls = set()
    try:
        log = json.loads(netlog.read_text())
        types = {v: k for k, v in log.get("constants", {}).get("logEventTypes", {}).items()}
        for event in log.get("events", []):
            params = event.get("params", {})
            # Requests the page caused carry the page's origin as initiator;
            # Chromium's own background traffic (update checks, network
            # time, account list) is initiated by "not an origin".
            if types.get(event.get("type")) != "URL_REQUEST_START_JOB":
                continue
            if params.get("initiator") == "not an origin":
                continue
            if params.get("url"):
                urls.add(params["url"])
    except (OSError, ValueError):
        pass  # an empty or truncated log lists no request
    errors = [l for l in run.stderr.splitlines() if "CONSOLE" in l and ("ERROR" in l or "Uncaught" in l)]
    return run.stdout, urls, errors


def check_site(site, problems, hostile=False):
    pages = sorted(site.glob("*.html"))
    if not pages:
        problems.append(f"{site}: no pages")
        return
    work = pathlib.Path(tempfile.mkdtemp())
    doms = {}
    for page in pages:
        dom, urls, errors = chromium(page, work)
        if "<body" not in dom:
            problems.append(f"{page.name}: Chromium returned no DOM")
            continue
        parsed = Dom()
        parsed.feed(dom)
        doms[page.name] = parsed
        for url in sorted(urls):
            if not (url.startswith("file://") or url.startswith("data:") or url.startswith("about:")):
                problems.append(f"{page.name}: fetched {url}")
        for e in errors:
            problems.append(f"{page.name}: console error: {e}")
        if parsed.scripts:
            problems.append(f"{page.name}: {parsed.scripts} <script> element(s) in the DOM")
        for h in parsed.handlers:
            problems.append(f"{page.name}: {h}")
        if hostile:
            text = "".join(parsed.text)
            for name in HOSTILE:
                if name not in text:
                    problems.append(f"{page.name}: hostile name {name!r} not shown as text")
    checked = 0
    for name, parsed in doms.items():
        for href in parsed.hrefs:
            if href.startswith(("http:", "https:", "//")):
                problems.append(f"{name}: external link {href}")
                continue
            target, _, anchor = href.partition("#")
            target = target or name
            if target.startswith("svg/") and not anchor:
                drawing = site / target
                if target.count("/") != 1 or not target.endswith(".svg") or not drawing.is_file():
                    problems.append(f"{name}: link to missing drawing {href}")
                elif not drawing.read_text().startswith("<svg "):
                    problems.append(f"{name}: {href} is not an SVG document")
                checked += 1
                continue
            if target not in doms:
                problems.append(f"{name}: link to missing page {href}")
                continue
            if anchor and anchor not in doms[target].ids:
                problems.append(f"{name}: link to missing anchor {href}")
            checked += 1
    print(f"  {site}: {len(doms)} pages, {checked} internal links resolved")
    shutil.rmtree(work, ignore_errors=True)


MEASURE = """<script>
window.addEventListener('load', function () {
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  var out = [];
  document.querySelectorAll('figure.diagram').forEach(function (f) {
    var svg = f.querySelector('svg'), box = f.querySelector('.svg');
    if (!svg || !box) return;
    out.push({id: f.id, natural: parseFloat(svg.getAttribute('width')),
              shown: svg.getBoundingClientRect().width, box: box.clientWidth,
              scrolls: box.scrollWidth > box.clientWidth + 1});
  });
  var pre = document.createElement('pre'); pre.id = 'measured';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""
GUTTER = 24  # --gutter: 1.6rem at 15 px


def measure_scales(site, problems, widths=(960, 1280, 1920)):
    """Every figure's on-screen scale (rendered / drawn width): returns the
    smallest; records a problem for any below 0.75, above 1, not fitted when it
    could be, or scrolling when it should not (or not when it should)."""
    work = pathlib.Path(tempfile.mkdtemp())
    smallest = None
    for page in sorted(site.glob("*.html")):
        text = page.read_text()
        if "<figure class=\"diagram\"" not in text:
            continue
        # a copy beside the page (so its links work), with the measuring script
        copy = page.with_name(".measure-" + page.name)
        copy.write_text(text.replace("</body>", MEASURE + "</body>"))
        try:
            for width in widths:
                args = [CHROMIUM, *FLAGS, f"--user-data-dir={work / 'profile'}", f"--window-size={width},1080",
                        "--dump-dom", copy.as_uri()]
                dom = subprocess.run(args, capture_output=True, text=True, timeout=180).stdout
                start = dom.find('<pre id="measured">')
                if start < 0:
                    problems.append(f"{page.name} at {width} px: not measured")
                    continue
                end = dom.find("</pre>", start)
                figures = json.loads(html.unescape(dom[start + len('<pre id="measured">'):end]))
                if not figures:
                    problems.append(f"{page.name} at {width} px: no figure measured")
                for f in figures:
                    scale = f["shown"] / f["natural"]
                    fit = min(1.0, (f["box"] - GUTTER) / f["natural"])
                    want = max(0.75, fit)
                    where = f"{page.name} #{f['id']} at {width} px"
                    smallest = scale if smallest is None else min(smallest, scale)
                    if abs(scale - want) > 0.01:
                        problems.append(f"{where}: shown at {scale:.2f} of its size, not {want:.2f}")
                    # (within 2 px of the box's width either is right: rounding)
                    overflow = 0.75 * f["natural"] + GUTTER - f["box"]
                    if abs(overflow) > 2 and f["scrolls"] != (overflow > 0):
                        problems.append(f"{where}: scrolls={f['scrolls']} at scale {scale:.2f} in a {f['box']} px box")
        finally:
            copy.unlink()
    shutil.rmtree(work, ignore_errors=True)
    print(f"  {site}: smallest diagram scale {smallest if smallest is None else round(smallest, 2)}")
    return smallest


def main():
    if not CHROMIUM:
        print("browser check: chromium not found")
        return 1
    if not BIN.exists():
        subprocess.run(["cargo", "build", "-q"], cwd=ROOT, check=True)
    problems = []
    out = pathlib.Path(tempfile.mkdtemp())
    subprocess.run([BIN, "report", "models", "--out", out / "multi"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run([BIN, "report", "models", "--out", out / "single", "--single-file"], cwd=ROOT, check=True, capture_output=True)
    check_site(out / "multi", problems)
    check_site(out / "single", problems)
    # split views (overview + one drawing per group in <details>): the reference model forced
    # to split, and a generated 200-system model at the default threshold (also lists its
    # large matrices instead of drawing grids)
    subprocess.run([BIN, "report", "models", "--max-nodes", "5", "--out", out / "split"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run([BIN, "report", "models", "--max-nodes", "5", "--single-file", "--out", out / "split-single"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run([BIN, "gen", "--systems", "200", "--out", out / "g200"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run([BIN, "report", out / "g200", "--out", out / "gen"], cwd=ROOT, check=True, capture_output=True)
    for site in ("split", "split-single", "gen"):
        check_site(out / site, problems)
    # diagrams never below 0.75 of their drawn size (also group drawings, and in one file)
    for site in ("multi", "single", "split", "gen"):
        measure_scales(out / site, problems)
    sv = (out / "gen" / "sv.html").read_text()
    if "<details" not in sv or "too many to read as a grid" not in sv:
        problems.append("gen report: sv.html has no split view or no listed matrix")
    # a model whose every name is hostile
    model = out / "hostile"
    model.mkdir()
    h0, h1 = (json.dumps(h) for h in HOSTILE)
    (model / "av.ron").write_text(f'(name: {h0}, purpose: {h1}, plan_period: {h1})')
    (model / "ov.ron").write_text(f'(performers: [(id: "p", name: {h0})], activities: [(id: "a", name: {h1}, performer: "p", stage: close, systems: ["s"], inputs: ["e"])])')
    (model / "sv.ron").write_text(f'(systems: [(id: "s", name: {h0}, kind: crm, vendor: {h1}, owner: "p", holds: [(entity: "e", role: record)]), (id: "t", name: {h1}, kind: bi)], integrations: [(id: "i", name: {h0}, source: "s", target: "t", carries: ["e"], mechanism: api, frequency: daily)])')
    (model / "stdv.ron").write_text(f'(standards: [(id: "k", name: {h0}, kind: kpi(formula: {h1}, unit: {h0}, computed_from: ["e"], computed_in: "t"))])')
    (model / "div.ron").write_text(f'(entities: [(id: "e", name: {h1}, classification: pii, attributes: [(name: {h0}, key: true)])])')
    run = subprocess.run([BIN, "report", model, "--out", out / "evil"], cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        problems.append(f"hostile model: report failed: {run.stderr}")
    else:
        check_site(out / "evil", problems, hostile=True)
    # screenshot of the overview, for people
    shot = out / "overview.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={out / 'shot-profile'}", "--window-size=1280,1000",
                    f"--screenshot={shot}", (out / "multi" / "index.html").as_uri()],
                   capture_output=True, timeout=120)
    if not shot.exists() or shot.stat().st_size < 10_000:
        problems.append("overview screenshot is missing or blank")
    else:
        print(f"  screenshot: {shot}")
    # prove the checker can fail: a page with a script, a dangling link and a fetch
    bad = out / "bad"
    bad.mkdir()
    # (the image points at a closed loopback port: the request fails at once)
    (bad / "index.html").write_text('<html><body><script>1</script><a href="#nowhere">x</a>'
                                    '<img src="http://127.0.0.1:9/leak.png"></body></html>')
    (bad / "drawn.html").write_text('<html><body><a href="svg/none.svg">x</a><figure class="diagram" id="f">'
                                    '<div class="svg" style="width:300px"><svg width="1000" height="100" '
                                    'style="max-width:100%"></svg></div></figure></body></html>')
    caught = []
    check_site(bad, caught)
    measure_scales(bad, caught, widths=(1280,))
    for needle in ("script", "nowhere", "fetched http://127.0.0.1:9/leak.png", "missing drawing svg/none.svg",
                   "shown at 0.30 of its size, not 0.75"):
        if not any(needle in p for p in caught):
            problems.append(f"the checker does not catch {needle!r}: {caught}")
    if problems:
        print("browser check: FAILED")
        for p in problems:
            print("  " + p)
        return 1
    print("browser check: every page loads offline, every internal link resolves, hostile names stay text, "
          "diagrams are shown at 0.75 of their size or more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
