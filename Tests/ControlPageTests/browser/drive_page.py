#!/usr/bin/env python3
"""Drives the control page in a real headless Chromium through its DevTools protocol.

Usage: drive_page.py URL SCREENSHOT.png [PLAYER_PITCH MELODY_PITCH|any WHERE_TEXT SETTLE_SECONDS]

Loads the page, waits for its event stream, waits until the roll has drawn the note the
test plays (player, pitch 64 by default) and checks the canvas pixel under it, waits for
improv's note (melody, 67, or any pitch) and the form position (text "bar 4"), lets the
page run SETTLE_SECONDS (0.3) more, takes a screenshot,
then presses PANIC with a real mouse click, types a tempo of 96 into the tempo box and ticks
the swing's "auto" box.
A token in the URL's #token= is the page's own way in (Tests/vm/host_browser.py uses it).
Prints one JSON line per step; exits non-zero (saying why) on the first failure.
"""
import base64, json, os, shutil, subprocess, sys, tempfile, time, urllib.request
from websockets.sync.client import connect

url, shot = sys.argv[1], sys.argv[2]
player_pitch = int(sys.argv[3]) if len(sys.argv) > 3 else 64
melody_pitch = sys.argv[4] if len(sys.argv) > 4 else "67"
where_text = sys.argv[5] if len(sys.argv) > 5 else "bar 4"
settle = float(sys.argv[6]) if len(sys.argv) > 6 else 0.3
# Seconds each wait may take (DRIVE_PAGE_WAIT): 30, more for a daemon in a slow VM.
patience = float(os.environ.get("DRIVE_PAGE_WAIT", "30"))
browser = shutil.which("chromium") or shutil.which("chromium-browser")
if not browser:
    sys.exit("drive_page: no chromium on PATH (scripts/install-deps.sh installs Debian's)")
profile = tempfile.mkdtemp(prefix="improv-chromium-")
proc = subprocess.Popen([browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                         "--disable-extensions", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                         "--window-size=1400,1000", "about:blank"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def fail(why):
    print(json.dumps({"step": "fail", "why": why}), flush=True)
    sys.exit("drive_page: " + why)


def step(name, **kw):
    print(json.dumps(dict(step=name, **kw)), flush=True)


try:
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.time() + 60
    while not (os.path.exists(port_file) and open(port_file).read().count("\n") >= 1):
        if time.time() > deadline or proc.poll() is not None:
            fail("chromium did not open its DevTools port")
        time.sleep(0.1)
    devtools = int(open(port_file).read().split("\n")[0])
    targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{devtools}/json/list"))
    page = next(t for t in targets if t["type"] == "page")
    ws = connect(page["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024, open_timeout=30).__enter__()
    ids = iter(range(1, 1 << 30))

    def call(method, **params):
        i = next(ids)
        ws.send(json.dumps({"id": i, "method": method, "params": params}))
        while True:
            m = json.loads(ws.recv(timeout=60))
            if m.get("id") == i:
                if "error" in m:
                    fail(f"{method}: {m['error']}")
                return m.get("result", {})

    def js(expr):
        r = call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            fail(f"{expr[:60]}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait_for(expr, what):
        deadline = time.time() + patience
        while time.time() < deadline:
            v = js(expr)
            if v:
                return v
            time.sleep(0.1)
        fail("timed out waiting for " + what)

    def click(selector):
        box = js(f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()")
        for kind in ("mousePressed", "mouseReleased"):
            call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    call("Page.enable")
    call("Runtime.enable")
    call("Page.navigate", url=url)
    wait_for("document.body && document.body.dataset.connected === '1'", "the page's event stream")
    step("connected")
    # Wide enough to sample: a note that has just begun is a sliver under the roll's white
    # "now" line (on a loaded machine the first look can come that early).
    rect = wait_for(f"(() => {{ const r = window.improvRoll.find('player', {player_pitch}); return r && r.w >= 8 ? r : null; }})()",
                    "the player's note in the roll")
    pixel = js(f"""(() => {{ const r = improvRoll.find('player', {player_pitch}), c = document.getElementById('roll'), d = devicePixelRatio;
        return Array.from(c.getContext('2d').getImageData(Math.floor((r.x + Math.min(r.w, 6) / 2) * d), Math.floor((r.y + r.h / 2) * d), 1, 1).data); }})()""")
    step("note", rect=rect, pixel=pixel)
    if not (pixel[0] > 150 and pixel[2] < 120):
        fail(f"the pixel under the note is {pixel}, not the player's orange")
    pitches = "[...Array(128).keys()]" if melody_pitch == "any" else f"[{int(melody_pitch)}]"
    melody = wait_for(f"{pitches}.map(p => window.improvRoll.find('melody', p)).find(r => r)", "improv's note in the roll")
    where = wait_for(f"document.getElementById('where').textContent.includes({json.dumps(where_text)}) && document.getElementById('where').textContent", "the form position")
    heard = js("document.getElementById('hKey').textContent")
    presets = js("Array.from(document.getElementById('preset').options).map(o => (o.selected ? '*' : '') + o.textContent)")
    step("shown", where=where, heard_key=heard, melody=melody, presets=presets)
    time.sleep(settle)
    with open(shot, "wb") as f:
        f.write(base64.b64decode(call("Page.captureScreenshot", format="png")["data"]))
    step("screenshot", path=shot)

    click("#panic")
    wait_for("document.getElementById('msg').textContent.includes('panic')", "the panic to be answered")
    step("panic")
    click("#tempo")
    js("document.getElementById('tempo').select()")
    call("Input.insertText", text="96")
    click("#topK")  # leaving the box commits the value, as for a person
    wait_for("document.getElementById('msg').textContent.includes('session.tempo')", "the tempo to be answered")
    # The answer's state is the one after the change: the box keeps the tempo now played.
    time.sleep(0.3)
    shown = js("document.getElementById('tempo').value")
    step("tempo", shown=shown)
    if shown != "96":
        fail(f"the tempo box shows {shown} after 96 was taken")
    click("#swingAuto")
    wait_for("document.getElementById('msg').textContent.includes('session.swing')", "the swing to be answered")
    step("swing", auto=js("document.getElementById('swingAuto').checked"))
    ws.close()
finally:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(profile, ignore_errors=True)
