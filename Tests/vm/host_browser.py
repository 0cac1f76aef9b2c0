#!/usr/bin/env python3
"""The host's half of VM test w: a real browser on the host, the daemon in the guest.

Usage: host_browser.py OUT PORT

Chromium inside the TCG guest took 160 s to load one page, so the browser runs here and
reaches the guest's daemon through qemu's user-net forward (127.0.0.1:PORT on the host to
the guest's 8737). The two halves talk through files in the shared results folder:

  guest writes  <test>/browser-wanted   "TOKEN PLAYER_PITCH MELODY_PITCH|any WHERE_TEXT"
  host writes   <test>/browser-open     once the page's event stream is connected
  (the guest then plays the call into the real sequencer)
  host writes   <test>/browser-done     drive_page.py's exit code, when it has finished

drive_page.py's steps go to <test>/browser.log and its screenshot to <test>/page.png.
Serves one request, then exits; scripts/vm-test.sh kills it if the VM ends first.
"""
import glob, os, subprocess, sys, time

out, port = sys.argv[1], int(sys.argv[2])
driver = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ControlPageTests", "browser", "drive_page.py")


def put(path, text):
    """Writes whole, so the guest never reads half a file."""
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


while True:
    wanted = glob.glob(os.path.join(out, "*", "browser-wanted"))
    if wanted:
        break
    time.sleep(0.2)
folder = os.path.dirname(wanted[0])
token, player, melody, where = open(wanted[0]).read().split()
url = f"http://127.0.0.1:{port}/#token={token}"
with open(os.path.join(folder, "browser.log"), "w") as log:
    log.write(f"host: chromium on {url.split('#')[0]} (token from browser-wanted)\n")
    log.flush()
    # The guest is slow (TCG): each wait in the driver gets 90 s, not 30.
    env = dict(os.environ, DRIVE_PAGE_WAIT="90")
    proc = subprocess.Popen([sys.executable, driver, url, os.path.join(folder, "page.png"), player, melody, where, "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    for line in proc.stdout:
        log.write(line)
        log.flush()
        if '"step": "connected"' in line:
            put(os.path.join(folder, "browser-open"), "1\n")
    rc = proc.wait()
    log.write(f"host: drive_page.py exited {rc}\n")
put(os.path.join(folder, "browser-done"), f"{rc}\n")
