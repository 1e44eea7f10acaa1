#!/usr/bin/env python3
"""Real-browser check of `revarch serve` (run by .ci/run; needs chromium).

Starts `revarch serve` on a fresh starter model (`revarch init`) and opens
its overview page in headless Chromium, which stays open. Then, reading the
server's request log (`--verbose`):
  - the page loads the live script and starts waiting for a change;
  - after the model is saved with a new system name, the open page reloads
    itself (the browser asks for the page again) within 5 s;
  - after the model is broken, it reloads again; the page then shows the
    diagnostics overlay (checked in a second Chromium's DOM dump, with the
    file:line:col of the error), and after the fix the overlay is gone.
Also saves a screenshot of the overlay next to the model.
Exit 1 with a list of problems when anything fails.
"""
import pathlib
import queue
import subprocess
import sys
import tempfile
import threading
import time

from browser import BIN, CHROMIUM, FLAGS, ROOT
problems = []


def fail(msg):
    print("FAIL", msg)
    problems.append(msg)


def lines_of(stream, q):
    for line in iter(stream.readline, ""):
        q.put(line.rstrip("\n"))


def wait_for(q, pred, seconds, seen):
    """Reads log lines until one satisfies pred; False after `seconds`."""
    end = time.time() + seconds
    while time.time() < end:
        try:
            line = q.get(timeout=max(0.05, end - time.time()))
        except queue.Empty:
            break
        seen.append(line)
        if pred(line):
            return True
    return False


def save(path, text):
    """As an editor saves: a temporary file, then a rename."""
    tmp = path.with_suffix(".saving")
    tmp.write_text(text)
    tmp.replace(path)


def dump(url, user):
    # no --virtual-time-budget: it would wait for the page's pending
    # long poll; the DOM is dumped once the page has loaded
    out = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={user}", "--dump-dom", url],
        capture_output=True, text=True, timeout=60)
    return out.stdout


def main():
    if not CHROMIUM:
        print("SKIPPED: no chromium")
        return 0
    if not BIN.exists():
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="revarch-serve-"))
    subprocess.run([str(BIN), "init", "model"], cwd=work, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(BIN), "serve", "model", "--port", "0", "--verbose", "--color", "never"],
        cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    browser = None
    try:
        url = server.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            fail(f"no address printed: {url!r}")
            return 1
        log, seen = queue.Queue(), []
        threading.Thread(target=lines_of, args=(server.stderr, log), daemon=True).start()
        # the open tab's own address (a reload keeps it): the dumps and the
        # screenshot below load the page without it
        page = url + "to-be/index.html?open"
        browser = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={work / 'chromium'}",
             "--remote-debugging-port=0", page],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        loaded = lambda l: l.startswith("GET /to-be/index.html?open 200")
        if not wait_for(log, loaded, 30, seen):
            fail("the browser never loaded the page")
        if not wait_for(log, lambda l: l.startswith("GET /_revarch/live.js 200"), 15, seen):
            fail("the page did not load the live script")
        if not wait_for(log, lambda l: l.startswith("GET /_revarch/wait?v="), 15, seen):
            fail("the live script did not start waiting")
        time.sleep(0.5)

        sv = work / "model" / "sv.ron"
        good = sv.read_text()
        save(sv, good.replace('"HubSpot"', '"Zebra CRM"', 1))
        t0 = time.time()
        if wait_for(log, loaded, 5, seen):
            print(f"ok: the open page reloaded itself {time.time() - t0:.2f} s after the edit")
        else:
            fail("the open page did not reload within 5 s of the edit")
        if "Zebra CRM" not in dump(url + "to-be/sv.html", work / "dump1"):
            fail("the new system name is not on the served page")

        save(sv, good.replace("systems: [", "systems: [ (id: ", 1))
        if not wait_for(log, loaded, 10, seen):
            fail("the open page did not reload after the model broke")
        dom = dump(url + "to-be/index.html", work / "dump2")
        if 'id="revarch-problem"' not in dom or "model/sv.ron:" not in dom:
            fail("no diagnostics overlay with the error's location on the page")
        shot = work / "overlay.png"
        subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={work / 'shot'}", "--hide-scrollbars",
             "--window-size=1280,800", f"--screenshot={shot}", url + "to-be/index.html"],
            capture_output=True, timeout=60)
        print(f"overlay screenshot: {shot}")

        save(sv, good)
        if not wait_for(log, loaded, 10, seen):
            fail("the open page did not reload after the fix")
        if 'id="revarch-problem"' in dump(url + "to-be/index.html", work / "dump3"):
            fail("the overlay stayed after the fix")
    finally:
        if browser:
            browser.kill()
            browser.wait()
        server.terminate()
        server.wait(timeout=10)
    if problems:
        print(f"{len(problems)} problem(s); server log:")
        print("\n".join("  " + l for l in seen[-40:]))
        return 1
    print("serve in Chromium: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
