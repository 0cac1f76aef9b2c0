#!/usr/bin/env python3
"""Does a minor call get a minor answer? For every call in calls/, `improv jam --call` with seeds
1-3 (the default preset, as `improv eval --calls` plays them); of improv's melody notes that are a
third or a sixth above the call's tonic (from its key signature), the share that are minor (b3, b6).

    python3 bench/minor-answers.py [IMPROV_BINARY]      (needs mido)
"""
import glob, os, subprocess, sys, tempfile
import mido

improv = sys.argv[1] if len(sys.argv) > 1 else ".build/release/improv"
NAMES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}

def tonic(path):
    for msg in mido.MidiFile(path).tracks[0]:
        if msg.type == "key_signature":
            k = msg.key
            pc = NAMES[k[0]] + (1 if k[1:2] == "#" else -1 if k[1:2] == "b" else 0)
            return pc % 12, k.endswith("m")
    raise SystemExit(f"{path}: no key signature")

rows, totals = [], {True: [0, 0], False: [0, 0]}
for call in sorted(glob.glob("calls/*.mid")):
    pc0, minor = tonic(call)
    low = high = 0
    for seed in (1, 2, 3):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "jam.mid")
            subprocess.run([improv, "jam", "--call", call, "--seed", str(seed), "--midi", out],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            track = [t for t in mido.MidiFile(out).tracks if t.name == "improv"][0]
            notes = [m for m in track if m.type == "note_on" and m.velocity > 0]
            # improv's melody is the higher of its two channels.
            by = {}
            for m in notes: by.setdefault(m.channel, []).append(m.note)
            melody = max(by.values(), key=lambda ps: sum(ps) / len(ps))
            for p in melody:
                d = (p - pc0) % 12
                if d in (3, 8): low += 1
                if d in (4, 9): high += 1
    share = low / max(1, low + high)
    totals[minor][0] += low; totals[minor][1] += low + high
    rows.append(f"{os.path.basename(call):34s} {'minor' if minor else 'major'}  {low:4d} {high:4d}  {share:5.2f}")
print(f"{'call':34s} mode   b3/b6 3/6  minor share")
print("\n".join(rows))
for minor in (True, False):
    l, n = totals[minor]
    print(f"all {'minor' if minor else 'major'} calls: minor share {l / max(1, n):.2f} of {n} thirds and sixths")
