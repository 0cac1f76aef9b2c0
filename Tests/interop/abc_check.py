#!/usr/bin/env python3
"""music21 side of the ABC export cross-checks (run by the Swift tests).

  abc_check.py FILE.abc [FILE.abc ...]

Parses each file with music21 (converter.parse(path, format='abc')), joins tied
notes (stripTies) and prints one JSON object on stdout:

  {"files": [{"path": ...,
              "notes":  [[midi, offset, duration], ...],   melody notes, in order;
                                                          offset and duration in
                                                          quarter lengths from the start
              "chords": [[figure, offset, root pitch class], ...]
                                                          chord symbols, in order; figures as
                                                          music21 writes them (B-7 for Bb7)
              "key_sharps": N or null,                     first key signature
              "time_signature": "4/4" or null,
              "tempo": quarter BPM or null}, ...]}

Exit status 0 on success, 2 on bad usage; parse errors propagate (status 1).
"""

import json
import sys

import music21
from music21 import converter, harmony, key, meter, note, tempo


def report(path):
    score = converter.parse(path, format='abc')
    if isinstance(score, music21.stream.Opus):
        score = score.scores[0]
    flat = score.stripTies().flatten()
    notes, chords = [], []
    for element in flat.notesAndRests:
        if isinstance(element, harmony.ChordSymbol):
            chords.append([element.figure, float(element.offset), element.root().pitchClass])
        elif isinstance(element, note.Note):
            notes.append([element.pitch.midi, float(element.offset), float(element.quarterLength)])
        elif isinstance(element, note.Rest):
            continue
        else:  # a chord in the melody is not what the exporter writes
            raise SystemExit(f"{path}: unexpected {element!r} at {element.offset}")
    keys = list(flat.getElementsByClass(key.KeySignature))
    meters = list(flat.getElementsByClass(meter.TimeSignature))
    marks = list(flat.getElementsByClass(tempo.MetronomeMark))
    return {
        "path": path,
        "notes": notes,
        "chords": chords,
        "key_sharps": keys[0].sharps if keys else None,
        "time_signature": meters[0].ratioString if meters else None,
        "tempo": float(marks[0].getQuarterBPM()) if marks else None,
    }


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps({"files": [report(path) for path in argv[1:]]}))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
