#!/usr/bin/env python3
"""mido side of the StandardMIDI cross-checks (run by the Swift tests).

  mido_tool.py dump FILE            read FILE with mido, print JSON of what it holds
  mido_tool.py generate SEED OUT    write a random file with mido to OUT, print JSON
                                    of what was written (from the in-memory tracks,
                                    not from reading OUT back)

The JSON (one object on stdout):
  format, ticks_per_beat
  tempo        first set_tempo (lowest absolute tick, lower track wins a tie), else 500000
  track_names  per track, the first track_name or null
  notes        [track, channel, key, velocity, start, end] in absolute ticks, paired
               per (track, channel, key) first in first out; a note still open at
               the end closes at the track's last event tick (End-of-Track excluded)
  events       one string per event, "TRACK TICK KIND FIELDS...", sysex and
               End-of-Track left out, note_on velocity 0 written as a note-off,
               pitch wheel as 0..16383, meta events as raw type and hex data
               except track names ("TRACK TICK name TEXT")

Exit status 0 on success, 2 on bad usage; errors from mido propagate (status 1).
"""

import json
import random
import sys

import mido
from mido.midifiles.meta import UnknownMetaMessage

DEFAULT_TEMPO = 500000


def decode_text(raw):
    """Same rule as the Swift reader: UTF-8 if valid, else Latin-1."""
    try:
        return raw.decode('utf-8')
    except UnicodeDecodeError:
        return raw.decode('latin-1')


def meta_raw(msg):
    """(type byte, data bytes) of a meta message, as it is in the file."""
    encoded = msg.bytes()  # [0xFF, type, VLQ length..., data...]
    index = 2
    while encoded[index] & 0x80:
        index += 1
    return encoded[1], bytes(encoded[index + 1:])


def describe(tracks, ticks_per_beat, file_format):
    """JSON-ready summary of tracks given as lists of (absolute tick, message)."""
    tempo = None  # (tick, track index, value)
    names = []
    notes = []
    events = []
    for track_index, track in enumerate(tracks):
        name = None
        open_notes = {}
        end = 0
        for tick, msg in track:
            if msg.type == 'end_of_track':
                continue
            end = max(end, tick)
            if msg.type == 'sysex':
                continue
            prefix = f'{track_index} {tick}'
            if msg.type == 'note_on' and msg.velocity > 0:
                open_notes.setdefault((msg.channel, msg.note), []).append((tick, msg.velocity))
                events.append(f'{prefix} on {msg.channel} {msg.note} {msg.velocity}')
            elif msg.type in ('note_on', 'note_off'):
                pending = open_notes.get((msg.channel, msg.note))
                if pending:
                    start, velocity = pending.pop(0)
                    notes.append([track_index, msg.channel, msg.note, velocity, start, max(tick, start)])
                events.append(f'{prefix} off {msg.channel} {msg.note} {msg.velocity}')
            elif msg.type == 'polytouch':
                events.append(f'{prefix} poly {msg.channel} {msg.note} {msg.value}')
            elif msg.type == 'control_change':
                events.append(f'{prefix} cc {msg.channel} {msg.control} {msg.value}')
            elif msg.type == 'program_change':
                events.append(f'{prefix} prog {msg.channel} {msg.program}')
            elif msg.type == 'aftertouch':
                events.append(f'{prefix} chanpress {msg.channel} {msg.value}')
            elif msg.type == 'pitchwheel':
                events.append(f'{prefix} bend {msg.channel} {msg.pitch + 8192}')
            elif msg.is_meta:
                meta_type, data = meta_raw(msg)
                if meta_type == 0x03:
                    text = decode_text(data)
                    if name is None:
                        name = text
                    events.append(f'{prefix} name {text}')
                else:
                    events.append(f'{prefix} meta {meta_type} {data.hex()}')
                    if meta_type == 0x51 and (tempo is None or tick < tempo[0]):
                        tempo = (tick, track_index, msg.tempo)
            else:
                raise ValueError(f'unexpected message in a file: {msg!r}')
        for (channel, key), pending in open_notes.items():
            for start, velocity in pending:
                notes.append([track_index, channel, key, velocity, start, max(end, start)])
        names.append(name)
    # Same order as MIDINoteSpan.precedes: start, track, channel, key, end, velocity.
    notes.sort(key=lambda n: (n[4], n[0], n[1], n[2], n[5], n[3]))
    return {
        'format': file_format,
        'ticks_per_beat': ticks_per_beat,
        'tempo': DEFAULT_TEMPO if tempo is None else tempo[2],
        'track_names': names,
        'notes': notes,
        'events': events,
    }


def absolute(track):
    tick = 0
    result = []
    for msg in track:
        tick += msg.time
        result.append((tick, msg))
    return result


def dump(path):
    midi = mido.MidiFile(path)
    return describe([absolute(t) for t in midi.tracks], midi.ticks_per_beat, midi.type)


# Keys mido accepts for key_signature (it refuses other sharps/mode pairs).
KEYS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#',
        'Abm', 'Ebm', 'Bbm', 'Fm', 'Cm', 'Gm', 'Dm', 'Am', 'Em', 'Bm', 'F#m', 'C#m', 'G#m', 'D#m', 'A#m']
NAME_CHARS = 'abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789-_éüñÅß'  # Latin-1 only: mido writes Latin-1


def random_delta(rng):
    roll = rng.random()
    if roll < 0.35:
        return 0
    if roll < 0.9:
        return rng.randint(1, 200)
    if roll < 0.99:
        return rng.randint(200, 20000)
    return rng.randint(20000, 0x0FFFFFFF // 64)  # multi-byte VLQs, total stays small


def random_track(rng, track_index, channels):
    """Absolute-tick (tick, message) list: overlapping notes, controllers, metas, sysex."""
    items = []  # (tick, sequence, message); sequence keeps insertion order at equal ticks
    sequence = 0

    def add(tick, msg):
        nonlocal sequence
        items.append((tick, sequence, msg))
        sequence += 1

    if rng.random() < 0.8:
        add(0, mido.MetaMessage('track_name', name=''.join(rng.choice(NAME_CHARS) for _ in range(rng.randint(0, 12)))))
    if track_index == 0 or rng.random() < 0.2:
        add(0, mido.MetaMessage('set_tempo', tempo=rng.randint(1, 0xFFFFFF)))
    tick = 0
    keys = [rng.randint(0, 127) for _ in range(rng.randint(1, 6))]  # few keys: same-key overlaps
    for _ in range(rng.randint(0, 120)):
        tick += random_delta(rng)
        channel = rng.choice(channels)
        roll = rng.random()
        if roll < 0.45:
            key = rng.choice(keys)
            add(tick, mido.Message('note_on', channel=channel, note=key, velocity=rng.randint(1, 127)))
            if rng.random() < 0.9:  # else it stays open until the end of the track
                off_tick = tick + rng.choice([0, rng.randint(1, 50), rng.randint(1, 2000)])
                if rng.random() < 0.5:
                    off = mido.Message('note_on', channel=channel, note=key, velocity=0)
                else:
                    off = mido.Message('note_off', channel=channel, note=key, velocity=rng.randint(0, 127))
                add(off_tick, off)
        elif roll < 0.5:  # a stray note-off with nothing open
            add(tick, mido.Message('note_off', channel=channel, note=rng.randint(0, 127), velocity=64))
        elif roll < 0.6:
            add(tick, mido.Message('control_change', channel=channel, control=rng.randint(0, 127), value=rng.randint(0, 127)))
        elif roll < 0.65:
            add(tick, mido.Message('program_change', channel=channel, program=rng.randint(0, 127)))
        elif roll < 0.7:
            add(tick, mido.Message('pitchwheel', channel=channel, pitch=rng.randint(-8192, 8191)))
        elif roll < 0.74:
            add(tick, mido.Message('aftertouch', channel=channel, value=rng.randint(0, 127)))
        elif roll < 0.78:
            add(tick, mido.Message('polytouch', channel=channel, note=rng.randint(0, 127), value=rng.randint(0, 127)))
        elif roll < 0.82:
            add(tick, mido.Message('sysex', data=[rng.randint(0, 127) for _ in range(rng.randint(0, 40))]))
        elif roll < 0.85:
            add(tick, mido.MetaMessage('set_tempo', tempo=rng.randint(1, 0xFFFFFF)))
        elif roll < 0.88:
            add(tick, mido.MetaMessage('time_signature', numerator=rng.randint(1, 16), denominator=2 ** rng.randint(0, 5),
                                       clocks_per_click=rng.randint(0, 255), notated_32nd_notes_per_beat=rng.randint(0, 255)))
        elif roll < 0.9:
            add(tick, mido.MetaMessage('key_signature', key=rng.choice(KEYS)))
        elif roll < 0.95:
            kind = rng.choice(['text', 'copyright', 'lyrics', 'marker', 'cue_marker', 'instrument_name'])
            text = ''.join(rng.choice(NAME_CHARS) for _ in range(rng.randint(0, 30)))
            attribute = 'name' if kind == 'instrument_name' else 'text'
            add(tick, mido.MetaMessage(kind, **{attribute: text}))
        elif roll < 0.97:
            add(tick, mido.MetaMessage('sequencer_specific', data=[rng.randint(0, 255) for _ in range(rng.randint(0, 200))]))
        else:
            # Meta types mido has no class for. Note: mido 1.3.3 drops the delta
            # time of such events when it *reads* a file (build_meta_message),
            # so `dump` mis-times them; `generate` reports them right.
            add(tick, UnknownMetaMessage(type_byte=rng.choice([0x10, 0x4B, 0x60, 0x7E]),
                                         data=[rng.randint(0, 255) for _ in range(rng.randint(0, 10))]))
    items.sort(key=lambda item: (item[0], item[1]))
    return [(tick, msg) for tick, _, msg in items]


def generate(seed, out_path):
    rng = random.Random(seed)
    file_format = rng.choice([0, 1])
    track_count = 1 if file_format == 0 else rng.randint(1, 5)
    ticks_per_beat = rng.choice([24, 96, 120, 384, 480, 960, rng.randint(1, 0x7FFF)])
    midi = mido.MidiFile(type=file_format, ticks_per_beat=ticks_per_beat)
    absolute_tracks = []
    for track_index in range(track_count):
        channels = rng.sample(range(16), rng.randint(1, 4))
        events = random_track(rng, track_index, channels)
        track = mido.MidiTrack()
        previous = 0
        for tick, msg in events:
            track.append(msg.copy(time=tick - previous))
            previous = tick
        if rng.random() < 0.5:  # End-of-Track after some silence: not an event for either side
            track.append(mido.MetaMessage('end_of_track', time=rng.randint(1, 1000)))
        midi.tracks.append(track)
        absolute_tracks.append(events)
    midi.save(out_path)
    return describe(absolute_tracks, ticks_per_beat, file_format)


def main(argv):
    if len(argv) == 3 and argv[1] == 'dump':
        result = dump(argv[2])
    elif len(argv) == 4 and argv[1] == 'generate':
        result = generate(int(argv[2]), argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    json.dump(result, sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
