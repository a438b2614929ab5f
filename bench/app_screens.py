"""Screenshots and timings of the web app on the demo corpus (headless Chromium).

    python bench/app_screens.py [--out DIR] [--store DIR]

Starts ``python app.py`` on a fresh store (so the first-start indexing is part
of the run), then for a 1366×768 laptop, dark mode and a phone (390×844, touch
emulation) asks a question, opens citation [2] from the answer text, the case
history and the coverage panel, and saves a screenshot of each. Prints the
seconds to app start, to the indexed store and to each answer, and the share of
the width the chat gets.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "Mitä uimahallin peruskorjauksesta on päätetty?"
VIEWS = [("laptop", "", "1366,768"), ("dark", "?__theme=dark", "1366,768"), ("phone", "", "390,844")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def browser(size: str, phone: bool = False):  # noqa: ANN201 - selenium type
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='pk-bench-')}", f"--window-size={size}", "--lang=fi"):
        opts.add_argument(flag)
    if phone:
        w, h = (int(x) for x in size.split(","))
        opts.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": w, "height": h, "pixelRatio": 2}})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def _click(d, el) -> None:  # noqa: ANN001
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    time.sleep(0.3)
    el.click()


def shoot(d, url: str, name: str, out: Path) -> None:  # noqa: ANN001
    """One window size: start, answer, [2] opened, case history, coverage."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    t1 = time.perf_counter()
    d.get(url)
    wait = WebDriverWait(d, 600, poll_frequency=0.2)
    wait.until(lambda d: "Hakemistossa on" in d.find_element(By.ID, "pk-status").text)
    print(f"[{name}] store ready after {time.perf_counter() - t1:.1f} s")
    d.save_screenshot(str(out / f"{name}-0-start.png"))
    box = d.find_element(By.CSS_SELECTOR, "#pk-question textarea")
    t2 = time.perf_counter()
    box.send_keys(QUESTION)
    box.send_keys(Keys.ENTER)
    labels = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-sources label") or False)
    print(f"[{name}] answer with {len(labels)} sources after {time.perf_counter() - t2:.2f} s")
    chat_w = d.find_element(By.ID, "pk-chat").size["width"]
    page_w = d.execute_script("return document.documentElement.clientWidth")
    print(f"[{name}] chat width {chat_w} px of {page_w} px ({chat_w / page_w:.0%})")
    d.execute_script("window.scrollTo(0, 0)")
    d.save_screenshot(str(out / f"{name}-1-answer.png"))
    marker = next(b for b in d.find_elements(By.CSS_SELECTOR, "#pk-chat button.pk-cite") if b.text == "[2]")
    _click(d, marker)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-panel .pk-cited"))
    time.sleep(0.5)
    d.save_screenshot(str(out / f"{name}-2-source.png"))
    _click(d, d.find_element(By.XPATH, "//div[@id='pk-panel']//button[text()='Asian käsittely']"))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-panel .pk-case"))
    time.sleep(0.5)
    d.save_screenshot(str(out / f"{name}-3-case.png"))
    _click(d, d.find_element(By.XPATH, "//button[@role='tab' and contains(., 'Mitä hakemisto sisältää')]"))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-coverage .pk-cov-table"))
    time.sleep(0.5)
    d.save_screenshot(str(out / f"{name}-4-coverage.png"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="pk-screens-")))
    ap.add_argument("--store", type=Path, default=None, help="store folder (default: a fresh temp folder)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    store = args.store or Path(tempfile.mkdtemp(prefix="pk-store-")) / "store"
    port = free_port()
    env = {**os.environ, "MINUTES_STORE": str(store), "MINUTES_TODAY": "2026-06-01",
           "GRADIO_SERVER_PORT": str(port), "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    log = args.out / "app.log"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t0 > 300:
                    sys.exit(f"app did not start; see {log}")
                time.sleep(0.3)
        print(f"app answering HTTP after {time.perf_counter() - t0:.1f} s")
        for name, query, size in VIEWS:
            d = browser(size, phone=name == "phone")
            try:
                shoot(d, url + query, name, args.out)
            finally:
                d.quit()
        print(f"screenshots in {args.out}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
