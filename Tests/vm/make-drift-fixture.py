#!/usr/bin/env python3
"""Writes fixtures/drift-call.mid and fixtures/drift-call.beats: a player who drifts (VM test u).

A blues line in quarter notes over 24 bars, written at 120 BPM but played at the player's own
drifting tempo: 120, up to 138 (+15%) over bars 3-8, held, down to 102 (-15%) over bars 13-20,
held; each onset jittered +-20 ms (seeded); beat 40 left out (a missed note) and a stray note
0.15 s after beat 60 (an extra one). The file has no tempo events: its ticks are the player's
real times (1/960 s a tick), so aplaymidi plays them as played. The .beats file lists the
player's intended beats (seconds, unjittered) and which onsets are the beats, for the check.
"""
import os
import random

import mido

HERE = os.path.dirname(os.path.abspath(__file__))
BEATS = 96
LINE = [60, 63, 65, 66, 67, 70, 72, 70, 67, 65, 63, 60]


def tempo_at(beat):
    if beat < 8:
        return 120.0
    if beat < 32:
        return 120.0 + 18.0 * (beat - 8) / 24
    if beat < 48:
        return 138.0
    if beat < 80:
        return 138.0 - 36.0 * (beat - 48) / 32
    return 102.0


def main():
    rng = random.Random(7)
    beats, t = [], 0.5
    for k in range(BEATS):
        beats.append(t)
        t += 60.0 / tempo_at(k)
    notes = []   # (onset seconds, key, velocity, beat index or -1 for the stray note)
    for k, b in enumerate(beats):
        if k == 40:
            continue
        notes.append((b + rng.uniform(-0.02, 0.02), LINE[k % len(LINE)], rng.randint(70, 105), k))
        if k == 60:
            notes.append((b + 0.15, 74, 60, -1))
    ppq, tick_s = 480, 1 / 960
    events = []
    for on, key, vel, _ in notes:
        events.append((round(on / tick_s), 'note_on', key, vel))
        events.append((round((on + 0.3) / tick_s), 'note_off', key, 0))
    events.sort(key=lambda e: (e[0], e[1] == 'note_on'))
    mid = mido.MidiFile(ticks_per_beat=ppq)
    tr = mido.MidiTrack()
    mid.tracks.append(tr)
    tr.append(mido.MetaMessage('set_tempo', tempo=500000, time=0))
    last = 0
    for tick, kind, key, vel in events:
        tr.append(mido.Message(kind, note=key, velocity=vel, time=tick - last))
        last = tick
    tr.append(mido.MetaMessage('end_of_track', time=0))
    mid.save(os.path.join(HERE, 'fixtures', 'drift-call.mid'))
    with open(os.path.join(HERE, 'fixtures', 'drift-call.beats'), 'w') as f:
        f.write('# beat seconds tempo onset (onset: the note as played, "-" for the missed beat)\n')
        played = {k: on for on, _, _, k in notes if k >= 0}
        for k, b in enumerate(beats):
            f.write(f"{k} {b:.6f} {tempo_at(k):.2f} {played[k]:.6f}\n" if k in played else f"{k} {b:.6f} {tempo_at(k):.2f} -\n")


if __name__ == '__main__':
    main()
