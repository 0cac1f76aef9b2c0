#!/usr/bin/env python3
"""Chooses and converts tunes of the Nottingham Music Database (jukedeck/nottingham-dataset,
GPLv3) into corpora/folk/<meter>/.

    python3 make_folk_corpus.py /path/to/nottingham-dataset/MIDI  corpora/folk

A tune is kept when it has one time signature (4/4, 3/4 or 6/8), one key signature, both
parts, and 16 to 64 bars. From the kept tunes of a meter, every k-th (in file-name order) is
taken so that the choice spreads over the database's collections (reels, hornpipes, jigs,
waltzes, ...) up to the count below. Each file is rewritten with its two tracks kept and
named ("Melody", "Chords"), the melody on channel 1 and the chords on channel 2 (1-based),
and a tempo event (the database has none): 4/4 and 3/4 at 120 quarters a minute, 6/8 at 120
dotted quarters (180 quarters). Nothing else is changed.
"""
import os
import sys

import mido

COUNTS = {(4, 4): 100, (3, 4): 40, (6, 8): 40}
FOLDERS = {(4, 4): "4-4", (3, 4): "3-4", (6, 8): "6-8"}
BPM = {(4, 4): 120, (3, 4): 120, (6, 8): 180}


def facts(path):
    m = mido.MidiFile(path)
    meters, keys = set(), []
    for t in m.tracks:
        for x in t:
            if x.type == "time_signature":
                meters.add((x.numerator, x.denominator))
            if x.type == "key_signature":
                keys.append(x.key)
    notes = [sum(1 for x in t if x.type == "note_on" and x.velocity > 0) for t in m.tracks]
    end = max(sum(x.time for x in t) for t in m.tracks)
    return m, meters, set(keys), notes, end


def main(source, target):
    chosen = {meter: [] for meter in COUNTS}
    for name in sorted(os.listdir(source)):
        if not name.endswith(".mid"):
            continue
        m, meters, keys, notes, end = facts(os.path.join(source, name))
        if len(meters) != 1 or len(keys) != 1 or len(m.tracks) != 2 or min(notes) == 0:
            continue
        meter = next(iter(meters))
        if meter not in COUNTS:
            continue
        bars = end / (m.ticks_per_beat * 4 * meter[0] / meter[1])
        if 16 <= bars <= 64:
            chosen[meter].append(name)
    for meter, names in chosen.items():
        step = max(1, len(names) // COUNTS[meter])
        picked = names[::step][:COUNTS[meter]]
        folder = os.path.join(target, FOLDERS[meter])
        os.makedirs(folder, exist_ok=True)
        for name in picked:
            m = mido.MidiFile(os.path.join(source, name))
            out = mido.MidiFile(type=1, ticks_per_beat=m.ticks_per_beat)
            # The database's track 0 is the melody, track 1 the chords.
            for track, (label, channel) in zip(m.tracks, [("Melody", 0), ("Chords", 1)]):
                t = mido.MidiTrack([mido.MetaMessage("track_name", name=label, time=0)])
                if channel == 0:
                    t.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(BPM[meter]), time=0))
                for x in track:
                    if x.type == "track_name":
                        t.append(mido.MetaMessage("text", text="", time=x.time) if x.time else mido.MetaMessage("text", text="nmd " + name, time=0))
                        continue
                    t.append(x.copy(channel=channel) if hasattr(x, "channel") else x)
                out.tracks.append(t)
            out.save(os.path.join(folder, "nmd-" + name))
        print(f"{meter[0]}/{meter[1]}: {len(picked)} of {len(names)} eligible -> {folder}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
