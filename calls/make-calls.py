#!/usr/bin/env python3
"""Writes improv's own test calls (calls/*.mid): short phrases a player might play to improv.

We wrote these phrases ourselves; none is taken from a corpus. Run from anywhere:

    python3 calls/make-calls.py

Every file: format 0, PPQ 480, one track, the melody on MIDI channel 1 (mido channel 0), a
tempo, a time signature and a key signature at tick 0, and nothing after the last note-off.
The output is deterministic (the humanized call draws from a seeded generator).
"""

import math
import os
import random

import mido

PPQ = 480
HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def pitch(name):
    """'C4' is 60 (middle C), 'Eb5' 75, 'F#4' 66."""
    letter, rest = name[0], name[1:]
    pc = NAMES[letter]
    while rest and rest[0] in "b#":
        pc += -1 if rest[0] == "b" else 1
        rest = rest[1:]
    return 12 * (int(rest) + 1) + pc


def beats(phrase, gate=0.9):
    """Notes from (start beat, length in beats, pitch name, velocity): ticks, each note sounding
    `gate` of its written length (a player lifts a little before the next note)."""
    out = []
    for start, length, name, velocity in phrase:
        on = round(start * PPQ)
        out.append((on, on + max(1, round(length * PPQ * gate)), pitch(name), velocity))
    return out


def write(filename, notes, key, tempo_bpm=120, numerator=4, name=None):
    """A format-0 file with the given notes [(on tick, off tick, key, velocity)]."""
    track = mido.MidiTrack()
    meta = [
        mido.MetaMessage("track_name", name=name or filename[:-4], time=0),
        mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo_bpm), time=0),
        mido.MetaMessage("time_signature", numerator=numerator, denominator=4,
                         clocks_per_click=24, notated_32nd_notes_per_beat=8, time=0),
        mido.MetaMessage("key_signature", key=key, time=0),
    ]
    track.extend(meta)
    events = []
    for on, off, key_number, velocity in notes:
        assert 0 <= on < off and 1 <= velocity <= 127, (filename, on, off, velocity)
        events.append((on, 1, mido.Message("note_on", channel=0, note=key_number, velocity=velocity)))
        events.append((off, 0, mido.Message("note_off", channel=0, note=key_number, velocity=0)))
    # At one tick, note-offs before note-ons (a repeated key ends before it sounds again).
    events.sort(key=lambda e: (e[0], e[1], e[2].note))
    now = 0
    for tick, _, message in events:
        track.append(message.copy(time=tick - now))
        now = tick
    midi = mido.MidiFile(type=0, ticks_per_beat=PPQ)
    midi.tracks.append(track)
    midi.save(os.path.join(HERE, filename))


def blues_c():
    """C blues, straight eighths up to the blue fifth (Gb) and down, the b3 (Eb) leaning on C."""
    e = 0.5
    line = [("G4", 84), ("Bb4", 68), ("C5", 90), ("Eb5", 74), ("F5", 96), ("Gb5", 108), ("F5", 88), ("Eb5", 72),
            ("C5", 94), ("Bb4", 70), ("G4", 80), ("Bb4", 66)]
    phrase = [(i * e, e, p, v) for i, (p, v) in enumerate(line)]
    phrase.append((6.0, 2.0, "C5", 100))
    return beats(phrase)


def c_minor():
    """C natural minor (Ab, Bb, Eb), three bars with a rest after each of the first two gestures."""
    phrase = [
        (0.0, 1.0, "C5", 86), (1.0, 0.5, "Eb5", 78), (1.5, 0.5, "F5", 84), (2.0, 1.0, "G5", 98),
        # rest on beat 4
        (4.0, 0.5, "Ab5", 104), (4.5, 0.5, "G5", 88), (5.0, 0.5, "F5", 80), (5.5, 0.5, "Eb5", 74), (6.0, 1.0, "D5", 82),
        # rest on beat 4
        (8.0, 0.5, "Bb4", 72), (8.5, 0.5, "C5", 78), (9.0, 0.5, "D5", 84), (9.5, 0.5, "Eb5", 90), (10.0, 2.0, "C5", 96),
    ]
    return beats(phrase)


def f_folk():
    """F major, four bars of quarters and eighths: a question that ends on the fifth (C)."""
    phrase = [
        (0.0, 1.0, "F4", 80), (1.0, 1.0, "A4", 84), (2.0, 1.0, "C5", 92), (3.0, 0.5, "A4", 76), (3.5, 0.5, "Bb4", 78),
        (4.0, 1.0, "C5", 90), (5.0, 1.0, "D5", 98), (6.0, 2.0, "C5", 88),
        (8.0, 1.0, "A4", 82), (9.0, 0.5, "Bb4", 74), (9.5, 0.5, "A4", 72), (10.0, 1.0, "G4", 80), (11.0, 1.0, "F4", 76),
        (12.0, 1.0, "G4", 84), (13.0, 1.0, "A4", 90), (14.0, 2.0, "C5", 96),
    ]
    return beats(phrase, gate=0.95)


def bb_swing():
    """Bb, swung eighths: each off-beat eighth two thirds of the way through its beat, the
    off-beats accented as a jazz player does, with a blue third (Db) on the way down."""
    line = [("Bb4", 72), ("C5", 88), ("D5", 74), ("F5", 94), ("G5", 78), ("F5", 92), ("D5", 70), ("Db5", 90),
            ("C5", 76), ("Bb4", 86), ("G4", 68), ("F4", 84)]
    notes = []
    for i, (p, v) in enumerate(line):
        beat, off = divmod(i, 2)
        start = beat + (2 / 3 if off else 0)
        length = (1 / 3) if off else (2 / 3)
        on = round(start * PPQ)
        notes.append((on, on + round(length * PPQ * 0.9), pitch(p), v))
    notes.append((6 * PPQ, 6 * PPQ + round(2 * PPQ * 0.9), pitch("Bb4"), 96))
    return notes


def g_humanized():
    """G major, played by hand: onsets within 25 ms of the grid, velocities within 10 of the
    written ones (a seeded generator, so the file is the same every time)."""
    phrase = [
        (0.0, 1.0, "G4", 84), (1.0, 0.5, "B4", 78), (1.5, 0.5, "D5", 82), (2.0, 1.0, "G5", 96), (3.0, 0.5, "F#5", 86),
        (3.5, 0.5, "E5", 80), (4.0, 1.0, "D5", 88), (5.0, 0.5, "C5", 76), (5.5, 0.5, "A4", 74), (6.0, 0.5, "F#4", 80),
        (6.5, 0.5, "A4", 78), (7.0, 1.0, "G4", 90),
    ]
    rng = random.Random(7)
    ticks_per_ms = PPQ * 120 / 60 / 1000  # 0.96 tick per ms at 120 BPM
    notes = []
    for on, off, key_number, velocity in beats(phrase):
        shift = round(rng.uniform(-25, 25) * ticks_per_ms)
        length = off - on + round(rng.uniform(-15, 15) * ticks_per_ms)
        on = max(0, on + shift)
        notes.append((on, on + length, key_number, max(1, min(127, velocity + rng.randint(-10, 10)))))
    return notes


def d_dorian():
    """D dorian (the B natural), syncopated: notes struck on the "and" and tied over the next beat."""
    phrase = [
        (0.0, 0.5, "D5", 90), (0.5, 1.0, "F5", 98), (1.5, 0.5, "E5", 76), (2.0, 0.5, "D5", 84), (2.5, 1.0, "C5", 94),
        (3.5, 0.5, "A4", 74),
        (4.0, 0.5, "B4", 86), (4.5, 1.0, "D5", 100), (5.5, 1.0, "F5", 92), (6.5, 0.5, "E5", 78), (7.0, 0.5, "D5", 82),
        (7.5, 1.5, "A5", 104),
        (9.0, 0.5, "G5", 80), (9.5, 0.5, "F5", 76), (10.0, 0.5, "E5", 84), (10.5, 1.5, "D5", 96),
    ]
    return beats(phrase, gate=0.95)


def tempo_drift():
    """C major, three bars whose player speeds up from 120 to 132 BPM while the file's tempo map
    stays at 120: the notes come progressively earlier than the grid (the last one 190 ticks,
    four fifths of an eighth)."""
    phrase = [
        (0.0, 0.5, "C5", 86), (0.5, 0.5, "D5", 72), (1.0, 0.5, "E5", 82), (1.5, 0.5, "G5", 76), (2.0, 0.5, "A5", 94),
        (2.5, 0.5, "G5", 78), (3.0, 0.5, "E5", 84), (3.5, 0.5, "D5", 70),
        (4.0, 0.5, "C5", 88), (4.5, 0.5, "E5", 74), (5.0, 0.5, "G5", 86), (5.5, 0.5, "C6", 100), (6.0, 0.5, "B5", 90),
        (6.5, 0.5, "G5", 76), (7.0, 0.5, "A5", 84), (7.5, 0.5, "F5", 72),
        (8.0, 1.0, "E5", 90), (9.0, 0.5, "D5", 78), (9.5, 0.5, "E5", 82), (10.0, 2.0, "C5", 96),
    ]
    total = 12.0
    ticks_per_second = PPQ * 2  # the file's tempo map: 120 BPM

    def seconds(beat):
        # The player's tempo rises linearly in beats: bpm(b) = 120 + 12 b / total.
        return 60 * total / 12 * math.log((120 + 12 * beat / total) / 120)

    notes = []
    for start, length, name, velocity in phrase:
        on = round(seconds(start) * ticks_per_second)
        off = round(seconds(start + length * 0.9) * ticks_per_second)
        notes.append((on, off, pitch(name), velocity))
    return notes


def c_left_hand():
    """C major with the left hand: triads below middle C (C, F, G7, C), the melody above."""
    melody = [
        (0.0, 1.0, "E5", 92), (1.0, 0.5, "G5", 84), (1.5, 0.5, "E5", 76), (2.0, 1.0, "F5", 88), (3.0, 1.0, "A5", 98),
        (4.0, 0.5, "G5", 90), (4.5, 0.5, "F5", 78), (5.0, 1.0, "D5", 84), (6.0, 2.0, "C5", 94),
    ]
    chords = [
        (0.0, 2.0, ["C3", "E3", "G3"], 62), (2.0, 2.0, ["A2", "C3", "F3"], 58),
        (4.0, 2.0, ["G2", "B2", "D3", "F3"], 60), (6.0, 2.0, ["C3", "E3", "G3"], 56),
    ]
    notes = beats(melody)
    for start, length, names, velocity in chords:
        notes += beats([(start, length, n, velocity) for n in names], gate=0.97)
    return notes


def a_minor_high():
    """A minor up high (around A5), with the raised seventh (G#) of harmonic minor before the tonic."""
    phrase = [
        (0.0, 0.5, "E6", 96), (0.5, 0.5, "D6", 82), (1.0, 0.5, "C6", 88), (1.5, 0.5, "B5", 76), (2.0, 1.0, "A5", 92),
        (3.0, 0.5, "C6", 80), (3.5, 0.5, "E6", 90),
        (4.0, 1.0, "F6", 104), (5.0, 0.5, "E6", 86), (5.5, 0.5, "D6", 78), (6.0, 0.5, "B5", 80), (6.5, 0.5, "G#5", 88),
        (7.0, 1.0, "A5", 96),
    ]
    return beats(phrase)


def a_minor_low():
    """A minor down low (C4 to A4, no note under middle C): the same key as the high one, another register."""
    phrase = [
        (0.0, 0.5, "E4", 88), (0.5, 0.5, "G4", 76), (1.0, 1.0, "A4", 94), (2.0, 0.5, "G4", 80), (2.5, 0.5, "E4", 74),
        (3.0, 0.5, "D4", 78), (3.5, 0.5, "C4", 70),
        (4.0, 1.0, "D4", 86), (5.0, 0.5, "E4", 82), (5.5, 0.5, "G4", 90), (6.0, 2.0, "E4", 92),
    ]
    return beats(phrase)


CALLS = [
    ("01-c-blues-eighths.mid", blues_c, "C", 120),
    ("02-c-minor-rests.mid", c_minor, "Cm", 120),
    ("03-f-major-folk-question.mid", f_folk, "F", 120),
    ("04-bb-swing.mid", bb_swing, "Bb", 120),
    ("05-g-major-humanized.mid", g_humanized, "G", 120),
    ("06-d-dorian-syncopated.mid", d_dorian, "Dm", 120),
    ("07-c-tempo-drift.mid", tempo_drift, "C", 120),
    ("08-c-left-hand-chords.mid", c_left_hand, "C", 120),
    ("09-a-minor-high.mid", a_minor_high, "Am", 120),
    ("10-a-minor-low.mid", a_minor_low, "Am", 120),
]

if __name__ == "__main__":
    for filename, make, key, bpm in CALLS:
        write(filename, make(), key, tempo_bpm=bpm)
        print("wrote", os.path.join("calls", filename))
