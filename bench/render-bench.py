#!/usr/bin/env python3
"""Times `improv render` against FluidSynth's own command line on the same MIDI file and soundfont,
and the demo jam (`improv jam --wav`, generation included); writes bench/RESULTS-sound.md.

    python3 bench/render-bench.py [--runs N] [--midi FILE.mid] [--soundfont F.sf2] [--no-build]

Without --midi it writes a 3-minute, four-channel test file (piano chords, sax line, bass,
drums at 132 bpm; seeded, so always the same). Each run renders to WAV at 44100 Hz, 16-bit:
    improv render FILE.mid OUT.wav --soundfont F
    fluidsynth -ni -F OUT.wav -r 44100 F FILE.mid
alternately (improv first on odd runs, fluidsynth first on even ones), and prints the
median wall-clock times and their ratio fluidsynth/improv (>= 1.0: improv at least as fast).
Needs the fluidsynth CLI (apt-get install -y fluidsynth).
"""
import argparse
import os
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.insert(0, (n & 0x7F) | 0x80)
        n >>= 7
    return bytes(out)


def track(events):
    events.sort(key=lambda e: (e[0], e[1][0] & 0xF0 != 0x80))   # note-offs first within a tick
    data, last = bytearray(), 0
    for tick, msg in events:
        data += vlq(tick - last) + msg
        last = tick
    data += b"\x00\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(data)) + bytes(data)


def write_test_midi(path, minutes=3.0, bpm=132):
    rng = random.Random(7)
    q = 480
    bars = int(minutes * bpm / 4)
    tempo = 60_000_000 // bpm
    conductor = [(0, b"\xff\x51\x03" + tempo.to_bytes(3, "big"))]
    piano, sax, bass, drums = [(0, bytes([0xC0, 0]))], [(0, bytes([0xC1, 65]))], [(0, bytes([0xC2, 33]))], []
    progression = [(48, [0, 4, 7, 10]), (53, [0, 4, 7, 10]), (48, [0, 4, 7, 10]), (55, [0, 4, 7, 10])]
    for bar in range(bars):
        root, chord = progression[bar % 4]
        start = bar * 4 * q
        for beat in (0, 2):
            for interval in chord:
                k = root + 12 + interval
                piano += [(start + beat * q, bytes([0x90, k, 70])), (start + beat * q + q + q // 2, bytes([0x80, k, 0]))]
        for beat in range(4):
            k = root - 12 + [0, 7, 12, 7][beat]
            bass += [(start + beat * q, bytes([0x92, k, 90])), (start + beat * q + q - 40, bytes([0x82, k, 0]))]
            drums += [(start + beat * q, bytes([0x99, 36 if beat % 2 == 0 else 38, 100])),
                      (start + beat * q + 60, bytes([0x89, 36 if beat % 2 == 0 else 38, 0]))]
            for half in (0, q // 2):
                drums += [(start + beat * q + half, bytes([0x99, 42, 70])), (start + beat * q + half + 30, bytes([0x89, 42, 0]))]
        t = start
        while t < start + 4 * q:
            length = rng.choice([q // 2, q // 2, q, q + q // 2])
            k = root + 24 + rng.choice([0, 3, 5, 6, 7, 10, 12])
            sax += [(t, bytes([0x91, k, rng.randint(70, 110)])), (t + length - 20, bytes([0x81, k, 0]))]
            t += length
    tracks = [track(conductor), track(piano), track(sax), track(bass), track(drums)]
    with open(path, "wb") as f:
        f.write(b"MThd" + struct.pack(">IHHH", 6, 1, len(tracks), q) + b"".join(tracks))


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--midi")
    parser.add_argument("--soundfont", default=os.path.join(ROOT, "soundfonts", "improv.sf2"))
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not shutil.which("fluidsynth"):
        sys.exit("fluidsynth CLI missing: apt-get install -y fluidsynth")
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "improv"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    binary = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip() + "/improv"
    work = tempfile.mkdtemp(prefix="render-bench-")
    midi = args.midi or os.path.join(work, "bench.mid")
    if not args.midi:
        write_test_midi(midi)
    improv_cmd = [binary, "render", midi, os.path.join(work, "improv.wav"), "--soundfont", args.soundfont]
    fluid_cmd = ["fluidsynth", "-ni", "-F", os.path.join(work, "fluid.wav"), "-r", "44100", args.soundfont, midi]
    timed(improv_cmd), timed(fluid_cmd)            # warm the page cache
    improv, fluid = [], []
    for run in range(args.runs):
        order = [(improv_cmd, improv), (fluid_cmd, fluid)]
        for command, times in (order if run % 2 == 0 else order[::-1]):
            times.append(timed(command))
    sizes = {name: os.path.getsize(os.path.join(work, name)) for name in ("improv.wav", "fluid.wav")}
    seconds = {name: (size - 44) / 4 / 44100 for name, size in sizes.items()}
    mi, mf = statistics.median(improv), statistics.median(fluid)
    print(f"MIDI {midi}\nsoundfont {args.soundfont}\nruns {args.runs} each, alternating")
    print(f"improv render  median {mi:.3f} s  (runs: {' '.join(f'{t:.3f}' for t in improv)})  audio {seconds['improv.wav']:.2f} s")
    print(f"fluidsynth CLI median {mf:.3f} s  (runs: {' '.join(f'{t:.3f}' for t in fluid)})  audio {seconds['fluid.wav']:.2f} s")
    print(f"ratio fluidsynth/improv = {mf / mi:.2f}  (>= 1.0: improv render at least as fast)")
    # The demo: a 2-exchange call-and-response jam, model and engine included, rendered to WAV.
    jam_cmd = [binary, "jam", "--seed", "1", "--wav", os.path.join(work, "jam.wav"), "--midi", os.path.join(work, "jam.mid")]
    timed(jam_cmd)
    jams = [timed(jam_cmd) for _ in range(args.runs)]
    mj = statistics.median(jams)
    print(f"improv jam (defaults, to WAV) median {mj:.3f} s (runs: {' '.join(f'{t:.3f}' for t in jams)})")
    import datetime
    import platform
    lines = [
        "# Sound benchmarks", "",
        f"Made by `python3 bench/render-bench.py --runs {args.runs}` on {datetime.date.today()}, {platform.machine()}, "
        f"{os.cpu_count()} cores (release build; medians of wall-clock times; the two renderers alternate).", "",
        "| figure | improv | fluidsynth -ni -F | ratio | target |", "|---|---|---|---|---|",
        f"| render a 3-minute four-channel MIDI file to WAV, 44.1 kHz 16-bit, soundfonts/improv.sf2 | {mi:.3f} s "
        f"| {mf:.3f} s | {mf / mi:.2f} | ≥ 1.0 |",
        f"| `improv jam` on the defaults to WAV (two calls and answers, generation included) | {mj:.3f} s | | | < 2 s |",
        "",
        f"improv writes {seconds['improv.wav']:.2f} s of audio (it cuts the silence after the tail), "
        f"fluidsynth {seconds['fluid.wav']:.2f} s.",
    ]
    with open(os.path.join(ROOT, "bench", "RESULTS-sound.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
