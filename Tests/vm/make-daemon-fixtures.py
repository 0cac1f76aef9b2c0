#!/usr/bin/env python3
"""Writes the MIDI fixtures of the daemon's VM tests (run by hand; the files are committed):
  fixtures/blues-call.mid  a two-bar call in C at 120 BPM: eight quarter notes on the blues scale
  fixtures/panic.mid       controller 82 = 127 (the default preset's panic controller)
  fixtures/two-keys.mid    a two-bar eighth-note call in F major, four bars of rest, then a
                           two-bar call in C minor (Ab, Bb, Eb), for the listener's test (t)
"""
import os
import mido

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

call = mido.MidiFile(ticks_per_beat=480)
t = mido.MidiTrack()
call.tracks.append(t)
t.append(mido.MetaMessage("set_tempo", tempo=500000, time=0))
for i, note in enumerate([60, 63, 65, 67, 70, 67, 65, 63]):
    # each quarter note sounds for 440 ticks, then 40 ticks of air before the next
    t.append(mido.Message("note_on", note=note, velocity=96, time=0 if i == 0 else 40))
    t.append(mido.Message("note_off", note=note, velocity=0, time=440))
call.save(os.path.join(HERE, "blues-call.mid"))

panic = mido.MidiFile(ticks_per_beat=480)
p = mido.MidiTrack()
panic.tracks.append(p)
p.append(mido.Message("control_change", control=82, value=127, time=0))
panic.save(os.path.join(HERE, "panic.mid"))
# (pitch, start, length) in eighths; velocities vary as a player's do
F_CALL = [(65, 0, 1), (67, 1, 1), (69, 2, 1), (70, 3, 1), (72, 4, 2), (69, 6, 1), (65, 7, 1),
          (67, 8, 1), (69, 9, 1), (67, 10, 1), (65, 11, 1), (64, 12, 2), (65, 14, 2)]
CM_CALL = [(72, 0, 1), (70, 1, 1), (68, 2, 2), (67, 5, 1), (63, 6, 1), (65, 7, 1), (67, 8, 3),
           (63, 12, 1), (62, 13, 1), (60, 14, 2)]
two = mido.MidiFile(ticks_per_beat=480)
tr = mido.MidiTrack()
two.tracks.append(tr)
tr.append(mido.MetaMessage("set_tempo", tempo=500000, time=0))
events = []
for offset, notes in ((0, F_CALL), (6 * 8, CM_CALL)):  # the second call 6 bars after the first
    for i, (note, start, length) in enumerate(notes):
        on = (offset + start) * 240
        events.append((on, 1, note, 70 + (i * 7) % 30))
        events.append((on + length * 240 - 30, 0, note, 0))
events.sort()
last = 0
for tick, kind, note, vel in events:
    tr.append(mido.Message("note_on" if kind else "note_off", note=note, velocity=vel, time=tick - last))
    last = tick
two.save(os.path.join(HERE, "two-keys.mid"))
print("wrote", os.path.join(HERE, "blues-call.mid"), ", panic.mid and two-keys.mid")
