"""Untrusted minutes text in a real browser: nothing it carries may run, render, load or leak.

A small fictional corpus carries script tags, ``onerror`` handlers, ``javascript:``
links, a Markdown image and a plain link pointing at a local recording HTTP
server, a full-page ``position:fixed`` overlay, a password form, an HTML original
with its own script, and (after ingest) a corpus file replaced by a symlink to
a file outside the corpus. The app runs as ``python app.py`` on that store and
headless Chromium asks about it, opens the sources and follows the original links.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_app_browser import ROOT, driver, start_app, stop_app  # noqa: F401 - driver is a fixture

pytestmark = [pytest.mark.slow, pytest.mark.browser]

QUESTION = "Mitä uimarannan valvonnasta päätettiin?"


class Recorder(http.server.BaseHTTPRequestHandler):
    """Records every request; an image or link fetched from minutes text would show up here."""

    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        Recorder.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


def hostile_text(leak: str) -> str:
    return (f'<script>window.__pwned = 1</script> <img src="{leak}/img-onerror" onerror="window.__pwned = 2"> '
            f"[klikkaa tästä](javascript:window.__pwned=3) ![seurantakuva]({leak}/markdown-image.png) "
            f'<a href="{leak}/link">lue lisää</a> {leak}/autolink '
            '<div id="pk-overlay" style="position:fixed;top:0;left:0;width:100vw;height:100vh;'
            'background:#c00;z-index:99999">PEITTO</div> '
            '<form id="pk-phish" action="/x"><input type="password" name="salasana"></form>')


def kh_minutes(leak: str) -> str:
    bad = hostile_text(leak)
    return f"""Uimarannan valvonta kesällä 2026 {bad}

KH 05.05.2026 § 40
ESIDno-2026-900

Uimarannan valvonta järjestetään kesällä 2026 kahden valvojan voimin. {bad}

Kaupunginjohtajan päätösehdotus:

Kaupunginhallitus päättää järjestää uimarannan valvonnan kesällä 2026. {bad}

Päätös:

Kaupunginhallitus päätti järjestää uimarannan valvonnan kesällä 2026. {bad}
"""


def sivla_html(leak: str) -> str:
    return f"""<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8">
<title>Sivistyslautakunta 06.05.2026 – Pöytäkirja 3/2026 – Esimerkkilän kaupunki</title>
<script>window.__pwned_html = 1; fetch("{leak}/html-original-script");</script></head><body><main>
<p class="organisaatio">Esimerkkilän kaupunki</p><h1>Sivistyslautakunta</h1>
<p class="asiakirja">Pöytäkirja 3/2026</p><p><strong>Aika:</strong> 06.05.2026 klo 17.00–18.00</p>
<h2 id="pykala-20">§ 20 Uimaopetuksen kesäleirit</h2>
<p>ESIDno-2026-901</p>
<p>Uimaopetuksen kesäleirit järjestetään uimarannalla kesäkuussa 2026.</p>
<h3>Päätösehdotus</h3><p>Sivistyslautakunta hyväksyy uimaopetuksen kesäleirit.</p>
<h3>Päätös</h3><p>Sivistyslautakunta hyväksyi uimaopetuksen kesäleirit.</p>
<img src="{leak}/html-original-image.png" onerror="window.__pwned_html = 2">
</main></body></html>
"""


KH_LATER = """Kirjaston aukioloajat

KH 20.05.2026 § 50
ESIDno-2026-902

Kirjaston aukioloaikoja pidennetään kesällä.

Kaupunginjohtajan päätösehdotus:

Kaupunginhallitus hyväksyy kirjaston aukioloajat.

Päätös:

Kaupunginhallitus hyväksyi kirjaston aukioloajat.
"""


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    leak = f"http://127.0.0.1:{server.server_address[1]}"
    root = tmp_path_factory.mktemp("hostile")
    corpus, store = root / "corpus", root / "store"
    corpus.mkdir()
    (corpus / "kh-2026-05-05.txt").write_text(kh_minutes(leak), encoding="utf-8")
    (corpus / "sivistyslautakunta-2026-05-06.html").write_text(sivla_html(leak), encoding="utf-8")
    (corpus / "kh-2026-05-20.txt").write_text(KH_LATER, encoding="utf-8")
    secret = root / "outside" / "salainen.txt"
    secret.parent.mkdir()
    secret.write_text("SALAISUUS-7391 ei kuulu aineistoon\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ingest", str(corpus), "--store", str(store), "-q"], cwd=ROOT,
                   check=True, timeout=900)
    # After ingest the file is swapped for a symlink to a file outside the corpus.
    (corpus / "kh-2026-05-20.txt").unlink()
    (corpus / "kh-2026-05-20.txt").symlink_to(secret)
    proc, url = start_app(store, root / "app.log")
    try:
        yield {"url": url, "store": store, "leak": leak, "secret": secret, "log": root / "app.log"}
    finally:
        stop_app(proc)
        server.shutdown()


def click_first_marker(d) -> None:  # noqa: ANN001 - selenium driver
    """Wait for the final answer (its source list), then click its first [n] marker."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(d, 300, poll_frequency=0.3).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-sources label"))
    btn = d.find_elements(By.CSS_SELECTOR, "#pk-chat button.pk-cite")[0]
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", btn)
    time.sleep(0.3)
    btn.click()


def _items(store: Path) -> list:
    from core import store as st

    return st.items_in(store)


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_minutes_markup_never_runs_renders_or_loads(hostile_app: dict, driver) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    d = driver
    d.get(hostile_app["url"])
    wait = WebDriverWait(d, 300, poll_frequency=0.3)
    wait.until(lambda d: "Hakemistossa on" in d.find_element(By.ID, "pk-status").text)
    box = d.find_element(By.CSS_SELECTOR, "#pk-question textarea")
    box.send_keys(QUESTION)
    box.send_keys(Keys.ENTER)
    click_first_marker(d)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-panel .pk-item"))
    time.sleep(1.5)  # give any injected image or script the chance to fire

    chat = d.find_element(By.ID, "pk-chat")
    assert "<script>" in chat.text and "onerror" in chat.text, "the markup must show as text"
    panel = d.find_element(By.ID, "pk-panel")
    # The source viewer shows the whole item (the answer clips a long title): the overlay's text is
    # there as text, and no overlay element exists (below).
    assert "<script>" in panel.text and "PEITTO" in panel.text
    assert d.execute_script("return window.__pwned") is None
    assert not d.find_elements(By.ID, "pk-overlay") and not d.find_elements(By.ID, "pk-phish")
    assert not d.find_elements(By.CSS_SELECTOR, "input[type=password]")
    for scope in ("#pk-chat", "#pk-panel"):
        assert not d.find_elements(By.CSS_SELECTOR, f"{scope} .message-content img, {scope} .pk-item img")
        hrefs = [a.get_attribute("href") or "" for a in d.find_elements(By.CSS_SELECTOR, f"{scope} a")]
        assert not [h for h in hrefs if h.startswith(("javascript:", hostile_app["leak"]))], hrefs
    assert Recorder.seen == [], Recorder.seen


def test_html_original_is_served_as_plain_text(hostile_app: dict, driver) -> None:  # noqa: F811
    item = next(i for i in _items(hostile_app["store"]) if i.source.endswith(".html"))
    url = hostile_app["url"] + f"alkuperainen/{item.item_id}"
    status, headers, body = _get(url)
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert headers["x-content-type-options"] == "nosniff" and "sandbox" in headers["content-security-policy"]
    assert b"<script>" in body  # the source is shown as text
    driver.get(url)
    time.sleep(1)
    assert driver.execute_script("return document.contentType") == "text/plain"
    assert driver.execute_script("return window.__pwned_html") is None
    assert not [p for p in Recorder.seen if "html-original" in p], Recorder.seen
    # Gradio's own file route does not serve corpus files either.
    status, _, body = _get(hostile_app["url"] + "gradio_api/file=" + item.source)
    assert status != 200 or b"<script>" not in body


def test_symlink_to_outside_is_refused(hostile_app: dict, driver) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    item = next(i for i in _items(hostile_app["store"]) if i.section == 50)
    status, _, body = _get(hostile_app["url"] + f"alkuperainen/{item.item_id}")
    assert status == 404 and b"SALAISUUS" not in body
    status, _, body = _get(hostile_app["url"] + "gradio_api/file=" + str(hostile_app["secret"]))
    assert b"SALAISUUS" not in body
    d = driver
    d.get(hostile_app["url"])
    wait = WebDriverWait(d, 300, poll_frequency=0.3)
    wait.until(lambda d: "Hakemistossa on" in d.find_element(By.ID, "pk-status").text)
    box = d.find_element(By.CSS_SELECTOR, "#pk-question textarea")
    box.send_keys("Mitä kirjaston aukioloajoista päätettiin?\n")
    click_first_marker(d)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pk-panel .pk-item"))
    panel = d.find_element(By.ID, "pk-panel")
    assert "Alkuperäistä tiedostoa ei löytynyt" in panel.text
    assert not panel.find_elements(By.CSS_SELECTOR, "a.pk-open")


def test_uploads_are_refused_and_api_returns_escaped_text(hostile_app: dict) -> None:
    boundary = "pkboundary"
    data = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\nhei\r\n--{boundary}--\r\n").encode()
    req = urllib.request.Request(hostile_app["url"] + "gradio_api/upload", data=data, method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        status = urllib.request.urlopen(req, timeout=10).status
    except urllib.error.HTTPError as e:
        status = e.code
    assert status == 403
    from gradio_client import Client

    _, history, sources = Client(hostile_app["url"], verbose=False).predict(
        QUESTION, [], [], "", "", api_name="/kysy")
    answer = json.dumps(history[-1]["content"], ensure_ascii=False)
    assert "<script" not in answer and "&lt;script&gt;" in answer and "[1]" in answer
    assert "<img" not in answer and "<form" not in answer
    assert sources["choices"] and sources["choices"][0][0].startswith("[1] ")
