#!/usr/bin/env python3
"""Writes the MIDI fixtures of the daemon's VM tests (run by hand; the files are committed):
  fixtures/blues-call.mid  a two-bar call in C at 120 BPM: eight quarter notes on the blues scale
  fixtures/panic.mid       controller 82 = 127 (the default preset's panic controller)
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
print("wrote", os.path.join(HERE, "blues-call.mid"), "and panic.mid")
