"""What the browser checks share: where the binary is, and how Chromium is
started (headless, as root, with nothing fetched from the network; without
the background-networking flags Chromium's own requests fail on a closed
network, many at a time)."""
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = ROOT / "target" / "debug" / "revarch"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]
