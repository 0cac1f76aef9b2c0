#!/usr/bin/env python3
"""Writes fixtures/call.mid: the phrase the echo test plays (format 0, PPQ 480, 120 BPM).

8 notes at known ticks (two of them end with note-on velocity 0, which must decode as
note-off), plus a program change, a controller and a pitch bend that must not be echoed.
NOTES is also read by midicheck.py to know what to expect.
"""
import sys
import mido

PPQ = 480
# (onset tick, key, length in ticks, off as note_on vel 0?)
NOTES = [(0, 60, 120, False), (240, 62, 120, False), (480, 64, 120, True), (720, 65, 120, False),
         (960, 67, 200, False), (1200, 69, 120, False), (1440, 71, 120, True), (1920, 72, 240, False)]


def build():
    mid = mido.MidiFile(type=0, ticks_per_beat=PPQ)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    events = [(0, mido.MetaMessage('set_tempo', tempo=500000)),
              (0, mido.Message('program_change', channel=0, program=5)),
              (100, mido.Message('control_change', channel=0, control=7, value=90)),
              (1000, mido.Message('pitchwheel', channel=0, pitch=1000))]
    for on, key, length, zero in NOTES:
        events.append((on, mido.Message('note_on', channel=0, note=key, velocity=100)))
        off = (mido.Message('note_on', channel=0, note=key, velocity=0) if zero
               else mido.Message('note_off', channel=0, note=key, velocity=0))
        events.append((on + length, off))
    events.sort(key=lambda e: (e[0], 0 if e[1].type in ('note_off',) or getattr(e[1], 'velocity', 1) == 0 else 1))
    now = 0
    for t, msg in events:
        track.append(msg.copy(time=t - now))
        now = t
    track.append(mido.MetaMessage('end_of_track', time=PPQ))
    return mid


if __name__ == '__main__':
    build().save(sys.argv[1] if len(sys.argv) > 1 else 'fixtures/call.mid')
