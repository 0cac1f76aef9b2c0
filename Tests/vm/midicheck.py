#!/usr/bin/env python3
"""Checks for the VM tests, on queue ticks. Prints the figures it measured; exits 1 on failure.

  midicheck.py echo REC.txt OUT.mid [TOL]   alsa-probe echo's record + arecordmidi of 14:0 and the echo port
  midicheck.py play OUT.mid [TOL]           arecordmidi of alsa-probe play's phrase
  midicheck.py answer OUT.mid STEP TOL [panic]  arecordmidi of 14:0 (the call) and improv's output:
                                            an answer after a bar of silence, on a grid of STEP
                                            ticks, in key and range, every note ended (with
                                            "panic": silent after the panic controller)
  midicheck.py stop LIMIT_MS (REC KILL)...  alsa-probe record of improv's output + alsa-probe kill's
                                            line: all-notes-off on every channel used and the last
                                            note-off within LIMIT_MS of the signal, nothing left on
  midicheck.py clock REC CLOCKLOG           record of improv following alsa-probe clock --plan:
                                            silent while the clock is stopped, answers on the grid
                                            of the tempo in force
  midicheck.py follows REC BEATS FOLLOW FIXED CH  record of a drifting player (14:0) and two
                                            daemons' band, one following the player, one at a
                                            fixed tempo: each bass note (channel CH, 0-based)
                                            from the player's 8th beat on, in ms from the
                                            player's nearest beat
  midicheck.py restart REC KILL [require-startup-off]  record across a SIGKILL and a restart:
                                            the new daemon answers and ends its notes; the notes
                                            the killed one left are counted (and, with the flag,
                                            must be cleared by all-notes-off at startup)

arecordmidi must record with -b 120 -t 480, the probe's tempo and PPQ, so ticks compare 1:1.
"""
import os
import sys

import mido

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module

FIXTURE = import_module('make-fixture')
failures = []


def check(ok, what):
    print(('ok   ' if ok else 'FAIL ') + what)
    if not ok:
        failures.append(what)


def track_notes(track):
    """[(tick, 'on'|'off', key)] with absolute ticks; note_on velocity 0 counts as off."""
    out, t = [], 0
    for msg in track:
        t += msg.time
        if msg.type == 'note_on' and msg.velocity > 0:
            out.append((t, 'on', msg.note))
        elif msg.type in ('note_on', 'note_off'):
            out.append((t, 'off', msg.note))
    return out


def expected_fixture():
    ev = []
    for on, key, length, _ in FIXTURE.NOTES:
        ev += [(on, 'on', key), (on + length, 'off', key)]
    return sorted(ev)


def pair_offsets(src, dst):
    """For each event of src, the tick offset of the same (kind, key) event in dst, in order."""
    pending = {}
    for t, kind, key in dst:
        pending.setdefault((kind, key), []).append(t)
    offs = []
    for t, kind, key in src:
        lst = pending.get((kind, key))
        if not lst:
            offs.append(None)
            continue
        offs.append(lst.pop(0) - t)
    return offs


def echo(rec_path, mid_path, tol, in_tol=20):
    exp = expected_fixture()
    ins = []
    for line in open(rec_path):
        f = line.split()
        if f[:1] == ['in'] and f[3] == '14:0' and f[4] in ('noteOn', 'noteOff'):
            key = int(f[6].split('=')[1])
            ins.append((int(f[1]), 'on' if f[4] == 'noteOn' else 'off', key, f[2]))
    check(len(ins) == len(exp), f'probe recorded {len(ins)} note events from 14:0 (expected {len(exp)})')
    ticks = [t for t, *_ in ins]
    check(ticks == sorted(ticks) and len(set(ticks)) == len(ticks), f'recorded ticks strictly increase: {ticks}')
    stamped = sorted({s for *_, s in ins})
    check(stamped == ['K'], f'ticks stamped by the kernel (K) on the subscription: {stamped}')
    if ins:
        # aplaymidi's own queue drives the input, through TCG: compare with the fixture's ticks
        # after removing the median offset (the first event is often a few ticks late).
        offs = sorted(t - e[0] for (t, *_), e in zip(ins, exp))
        med = offs[len(offs) // 2]
        dev = [t - e[0] - med for (t, *_), e in zip(ins, exp)]
        check(all(abs(d) <= in_tol for d in dev) and [i[1:3] for i in ins] == [e[1:] for e in exp],
              f'recorded ticks = fixture ticks + {med}, deviations {dev} (tol {in_tol})')

    mid = mido.MidiFile(mid_path)
    tracks = [track_notes(t) for t in mid.tracks]
    tracks = [t for t in tracks if t]
    print(f'arecordmidi: ppq={mid.ticks_per_beat} type={mid.type} note tracks={len(tracks)} sizes={[len(t) for t in tracks]}')
    check(len(tracks) == 2, 'two note tracks (14:0 and the echo port)')
    if len(tracks) != 2:
        return
    src, dst = tracks
    if src and dst and dst[0][0] < src[0][0]:
        src, dst = dst, src
    check(len(src) == len(exp) and len(dst) == len(exp), f'all {len(exp)} note events in both tracks ({len(src)}, {len(dst)})')
    ons = sum(1 for _, k, _ in dst if k == 'on')
    offs = sum(1 for _, k, _ in dst if k == 'off')
    check(ons == 8 and offs == 8, f'echo has 8 note-on and 8 note-off ({ons}, {offs})')
    offsets = pair_offsets(src, dst)
    good = [o for o in offsets if o is not None]
    check(None not in offsets, 'every input note event has its echo')
    if good:
        print(f'echo offsets (ticks, want {mid.ticks_per_beat}): {offsets}  min={min(good)} max={max(good)} mean={sum(good)/len(good):.1f}')
        check(all(abs(o - 480) <= tol for o in good), f'echo one beat (480 ticks) after its input, tol {tol}')


def play(mid_path, tol):
    mid = mido.MidiFile(mid_path)
    notes = [n for t in mid.tracks for n in track_notes(t)]
    notes.sort()
    ons = [(t, key) for t, k, key in notes if k == 'on']
    offs = [(t, key) for t, k, key in notes if k == 'off']
    check(len(ons) == 8 and len(offs) == 8, f'8 notes on and off recorded ({len(ons)}, {len(offs)})')
    if not ons:
        return
    t0 = ons[0][0]
    rel = [t - t0 for t, _ in ons]
    dev = [r - 240 * i for i, r in enumerate(rel)]
    print(f'onsets relative to the first (want 0,240,...): {rel}')
    check(all(abs(d) <= tol for d in dev), f'onsets every 240 ticks, deviations {dev} (tol {tol})')
    lengths = []
    for t, key in ons:
        off = next((u for u, k in offs if k == key and u >= t), None)
        lengths.append(None if off is None else off - t)
    print(f'lengths (want 120): {lengths}')
    check(all(l is not None and abs(l - 120) <= tol for l in lengths), f'each note 120 ticks long (tol {tol})')
    keys = [k for _, k in ons]
    check(keys == [60, 62, 64, 65, 67, 69, 71, 72], f'keys in order: {keys}')


# The C blues scale: the minor pentatonic and its blue note, the flat fifth (Gb), which improv may play.
BLUES_C = {0, 3, 5, 6, 7, 10}


def audio(wav_path):
    """A loopback recording of improv through FluidSynth: silent at first (the player's call
    is not played by improv), then improv's answer, audible and not clipped."""
    import wave
    import numpy as np
    with wave.open(wav_path) as w:
        rate, channels = w.getframerate(), w.getnchannels()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).reshape(-1, channels).astype(float) / 32768
    mono = x.mean(axis=1)
    hop = rate // 10
    env = [float(np.sqrt(np.mean(mono[i:i + hop] ** 2))) for i in range(0, len(mono) - hop, hop)]
    loud = [i for i, e in enumerate(env) if e > 0.005]
    print(f'{len(mono) / rate:.1f} s recorded at {rate} Hz; peak {np.abs(x).max():.3f}; '
          f'first sound at {loud[0] / 10 if loud else None} s; {len(loud) / 10:.1f} s audible')
    check(bool(loud), 'improv is audible through FluidSynth and the loopback')
    if loud:
        check(loud[0] >= 30, f'silent while the player calls (first sound at {loud[0] / 10:.1f} s)')
        check(len(loud) >= 10, f'at least a second of music ({len(loud) / 10:.1f} s)')
        seg = mono[loud[0] * hop:(loud[0] + 10) * hop]
        spectrum = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
        freq = np.argmax(spectrum[20:]) + 20
        hz = freq * rate / len(seg)
        print(f'strongest frequency in the first second of the answer: {hz:.1f} Hz')
        check(80 < hz < 2000, f'its strongest frequency is a musical one ({hz:.0f} Hz)')
    check(np.abs(x).max() < 0.999, 'not clipped')


def follows(rec_path, beats_name, follow_src, fixed_src, bass_ch):
    # Times from the kernel's stamps on the recorder's queue (120 BPM, 480 PPQ: 960 ticks a
    # second), not from when the recorder got to read them: a stalled reader under TCG would
    # count as the band's lateness.
    events = [(tick / 960, tick, src, kind, ch, key) for _, tick, src, kind, ch, key in read_record(rec_path)]
    rows = [l.split() for l in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', beats_name))
            if not l.startswith('#')]
    beats = [float(r[1]) for r in rows]
    played = sorted([float(r[3]) for r in rows if r[3] != '-'])
    heard = [t for t, _, src, kind, _, _ in events if src == '14:0' and kind == 'noteOn']
    # The file's one stray note is not a beat; the recording has it too, so match in order.
    check(len(heard) == len(played) + 1, f'the player: {len(heard)} note-ons recorded, {len(played) + 1} played')
    if len(heard) != len(played) + 1:
        return
    stray = 60   # after beats 0-60 less the missing 40: the 61st onset, index 60
    heard_beats = heard[:stray] + heard[stray + 1:]
    diffs = sorted(h - p for h, p in zip(heard_beats, played))
    offset = diffs[len(diffs) // 2]
    player = [b + offset for b in beats]
    lo, hi = player[8], player[-1]

    def errors(src):
        ons = [t for t, _, s, kind, ch, _ in events if s == src and kind == 'noteOn' and ch == bass_ch and lo <= t <= hi]
        return sorted(min(abs(t - b) for b in player) * 1000 for t in ons)

    def stats(e):
        return (e[len(e) // 2], e[int((len(e) - 1) * 0.95)]) if e else (float('nan'), float('nan'))

    fe, xe = errors(follow_src), errors(fixed_src)
    (fm, fp), (xm, xp) = stats(fe), stats(xe)
    print(f'figure: follows: bass from the player\'s beat, following: median {fm:.1f} ms, p95 {fp:.1f} ms ({len(fe)} notes); '
          f'fixed 120 BPM: median {xm:.1f} ms, p95 {xp:.1f} ms ({len(xe)} notes)')
    check(len(fe) >= 60, f'the following bass played through the performance ({len(fe)} notes)')
    check(fm <= 30, f'following: median {fm:.1f} ms from the player\'s beat (<= 30)')
    # The benchmark's bar is 60 ms; a TCG guest running two debug daemons now and then plans a
    # beat late (three bass notes in one tick), so the VM allows 100.
    check(fp <= 100, f'following: p95 {fp:.1f} ms from the player\'s beat (<= 100 in the VM)')
    check(xm > 2 * fm, f'the fixed-tempo baseline is further off ({xm:.1f} ms)')


def answer(mid_path, step, tol, panic=False, swing=None):
    """improv daemon's answer to blues-call.mid, as arecordmidi heard it (-b 120 -t 480)."""
    mid = mido.MidiFile(mid_path)
    tracks = [tr for tr in mid.tracks if any(m.type in ('note_on', 'note_off', 'control_change') for m in tr)]
    check(len(tracks) == 2, f'two tracks with events (the call, improv): {len(tracks)}')
    if len(tracks) != 2:
        return
    def events(track):
        out, t = [], 0
        for m in track:
            t += m.time
            if m.type in ('note_on', 'note_off', 'control_change'):
                out.append((t, m))
        return out
    call, improv = events(tracks[0]), events(tracks[1])
    call_ons = [t for t, m in call if m.type == 'note_on' and m.velocity > 0]
    call_end = max(t for t, m in call if m.type in ('note_off', 'note_on'))
    check(len(call_ons) == 8, f'the call: 8 notes ({len(call_ons)})')
    ons = [(t, m) for t, m in improv if m.type == 'note_on' and m.velocity > 0]
    print(f'improv: {len(ons)} note-ons; call from {call_ons[0] if call_ons else None} to {call_end}')
    check(len(ons) >= 4, f'improv answered ({len(ons)} notes)')
    if not ons:
        return
    first = ons[0][0]
    print(f'answer starts {first - call_end} ticks after the call ends')
    if not panic:
        check(first - call_end >= 7 * step - tol, f'the answer waits for a bar of silence: {first - call_end} ticks')
        check(first - call_end <= 16 * step + tol, f'... and not much more: {first - call_end} ticks')
    # The grid: every eighth (step ticks), or with swing the beat (2 * step) and the swung
    # off-beat at `swing` ticks into it. The answer starts on a bar line, so on a beat.
    places = [0, step] if swing is None else [0, swing]
    beat = 2 * step
    def deviation(t):
        x = (t - first) % beat
        return min(min(abs(x - p), beat - abs(x - p)) for p in places)
    devs = [deviation(t) for t, _ in ons]
    print(f'onsets off the grid (places {places} in each {beat}-tick beat) by at most {max(devs)} ticks')
    check(all(d <= tol for d in devs), f'every note on the eighth-note grid{" with swing" if swing else ""} (tol {tol})')
    if swing is not None:
        offbeats = sum(1 for t, _ in ons if abs(((t - first) % beat) - swing) <= tol)
        print(f'{offbeats} notes on the swung off-beat')
    melody = [m.note for _, m in ons if m.channel == 1]
    chords = [m.note for _, m in ons if m.channel == 0]
    call_keys = [m.note for _, m in call if m.type == 'note_on' and m.velocity > 0]
    low, high = min(call_keys) - 5, max(call_keys) + 5
    check(all(low <= k <= high for k in melody), f"melody in the call's register ({low}-{high}): {sorted(set(melody))}")
    check(all(48 <= k <= 59 for k in chords), f'chords in C3-B3: {sorted(set(chords))}')
    if melody:
        share = sum(k % 12 in BLUES_C for k in melody) / len(melody)
        check(share >= 0.9, f'melody on the C blues scale (with its b5): {share:.0%}')
    sounding = {}
    for t, m in improv:
        if m.type == 'note_on' and m.velocity > 0:
            sounding[(m.channel, m.note)] = t
        elif m.type in ('note_on', 'note_off'):
            sounding.pop((m.channel, m.note), None)
        elif m.type == 'control_change' and m.control == 123:
            for key in [k for k in sounding if k[0] == m.channel]:
                sounding.pop(key)
    check(not sounding, f'every note-on has its note-off: left {sorted(sounding)}')
    if panic:
        cc = [t for t, m in call if m.type == 'control_change' and m.control == 82]
        check(len(cc) == 1, 'the panic controller was sent')
        if cc:
            late = [t for t, _ in ons if t > cc[0] + tol]
            check(not late, f'no note after the panic: {late}')
            offs = {m.channel for t, m in improv if m.type == 'control_change' and m.control == 123 and t >= cc[0] - tol}
            check({0, 1} <= offs, f'all-notes-off on both of improv\'s channels after the panic: {sorted(offs)}')
    else:
        last_off = max(t for t, m in improv if m.type in ('note_off', 'note_on'))
        check(last_off - first <= 16 * step + tol, f'the answer is as long as the call (2 bars): {last_off - first} ticks')


def read_record(path):
    """alsa-probe record lines -> [(seconds, tick, source, kind, channel, key)] (MIDI notes and CCs)."""
    out = []
    for line in open(path):
        f = line.split()
        if not f or f[0].startswith('#') or len(f) < 5:
            continue
        kv = dict(x.split('=', 1) for x in f[5:] if '=' in x)
        ch = int(kv['ch']) if 'ch' in kv else None
        key = int(kv['key']) if 'key' in kv else None
        kind = f[4]
        if kind == 'noteOn' and kv.get('vel') == '0':
            kind = 'noteOff'
        out.append((float(f[0]), int(f[1]), f[3], kind, ch, key))
    return out


def read_signal(path):
    for line in open(path):
        f = line.split()
        if f[:1] == ['signal']:
            return f[1], float(f[-1])
    raise SystemExit(f'{path}: no "signal NAME pid=P at T" line')


def sounding_after(events, sounding=None):
    """Plays note events into a {(ch, key): count} of notes on; all-notes-off clears a channel."""
    sounding = dict(sounding or {})
    for _, _, _, kind, ch, key in events:
        if kind == 'noteOn':
            sounding[(ch, key)] = sounding.get((ch, key), 0) + 1
        elif kind == 'noteOff' and sounding.get((ch, key)):
            sounding[(ch, key)] -= 1
            if not sounding[(ch, key)]:
                del sounding[(ch, key)]
        elif kind == 'allNotesOff':
            for k in [k for k in sounding if k[0] == ch]:
                del sounding[k]
    return sounding


def stop(limit_ms, pairs):
    """improv stopped by a signal mid-answer: what reached the recorder, timed from the signal."""
    for rec_path, kill_path in pairs:
        sig, t_kill = read_signal(kill_path)
        ev = read_record(rec_path)
        before = [e for e in ev if e[0] < t_kill]
        after = [e for e in ev if e[0] >= t_kill]
        used = sorted({e[4] for e in ev if e[3] == 'noteOn'})
        on_at_signal = sounding_after(before)
        ons_before = sum(1 for e in before if e[3] == 'noteOn')
        check(ons_before > 0, f'SIG{sig}: the answer had begun ({ons_before} note-ons before the signal)')
        offs = {}
        for t, _, _, kind, ch, _ in after:
            if kind == 'allNotesOff' and ch not in offs:
                offs[ch] = (t - t_kill) * 1000
        note_offs = [(t - t_kill) * 1000 for t, _, _, kind, _, _ in after if kind == 'noteOff']
        late_ons = [(round((t - t_kill) * 1000, 1), ch, key) for t, _, _, kind, ch, key in after if kind == 'noteOn']
        worst = max(offs.values()) if offs else None
        last_off = max(note_offs) if note_offs else None
        left = sounding_after(ev)
        print(f'figure: SIG{sig} mid-answer: {len(on_at_signal)} notes sounding at the signal; all-notes-off on '
              f'channels {sorted(offs)} of {used} within {worst if worst is None else round(worst, 1)} ms; '
              f'last note-off {last_off if last_off is None else round(last_off, 1)} ms after it; '
              f'note-ons after the signal {late_ons}; left sounding {sorted(left)}')
        check(set(used) <= set(offs), f'SIG{sig}: all-notes-off on every channel improv used {used}: {sorted(offs)}')
        check(worst is not None and worst <= limit_ms, f'SIG{sig}: ... within {limit_ms} ms: {worst} ms')
        check(last_off is None or last_off <= limit_ms, f'SIG{sig}: last note-off within {limit_ms} ms: {last_off} ms')
        check(not left, f'SIG{sig}: no note left sounding: {sorted(left)}')


def grid_devs(ticks, step):
    return [min((t - ticks[0]) % step, step - (t - ticks[0]) % step) for t in ticks]


def clock(rec_path, clock_path, tol=30, limit_ms=200):
    """improv following alsa-probe clock --plan "90:4,150:11,stop:3,start,100:16"."""
    steps = []
    for line in open(clock_path):
        f = line.split()
        if f[:1] == ['at']:
            steps.append((f[2] if f[2] != 'tempo' else 'tempo ' + f[3], float(f[1])))
    def when(name, after=0.0):
        return next(t for n, t in steps if n == name and t > after)
    t150 = when('tempo 150')
    tstop = when('stop', t150)
    tstart = when('start', tstop)   # the start after the stop, not the first one
    everything = read_record(rec_path)
    call = [e for e in everything if e[2] == '14:0' and e[3] in ('noteOn', 'noteOff')]
    ev = [e for e in everything if e[2] != '14:0']
    used = sorted({e[4] for e in ev if e[3] == 'noteOn'})
    # Each answer waits for a bar of silence after its call (a bar at the tempo in force).
    for name, lo, hi, bar in (('150 BPM', t150, tstop, 1.6), ('100 BPM', tstart, float('inf'), 2.4)):
        call_end = max((e[0] for e in call if lo < e[0] < hi), default=None)
        first = min((e[0] for e in ev if e[3] == 'noteOn' and lo < e[0] < hi), default=None)
        if call_end is not None and first is not None:
            gap = first - call_end
            print(f'figure: clock: the answer at {name} starts {gap:.2f} s after its call ends (a bar is {bar} s)')
            check(gap >= 0.9 * bar, f'the answer at {name} waits for a bar of silence after the call: {gap:.2f} s')
        else:
            check(False, f'a call and an answer at {name} were recorded')
    a1 = [e[1] for e in ev if e[3] == 'noteOn' and t150 < e[0] < tstop]
    a2 = [e[1] for e in ev if e[3] == 'noteOn' and e[0] > tstart]
    silent = [(round(e[0] - tstop, 3), e[4], e[5]) for e in ev if e[3] == 'noteOn' and tstop + 0.1 < e[0] < tstart]
    at_stop = sounding_after([e for e in ev if e[0] < tstop])
    offs = {}
    for t, _, _, kind, ch, _ in ev:
        if kind == 'allNotesOff' and t >= tstop and ch not in offs:
            offs[ch] = (t - tstop) * 1000
    check(len(a1) >= 4, f'an answer at 150 BPM before the stop ({len(a1)} notes)')
    check(len(a2) >= 4, f'an answer at 100 BPM after the start ({len(a2)} notes)')
    for name, ons, step in (('150 BPM', a1, 192), ('100 BPM', a2, 288)):
        if ons:
            d = grid_devs(ons, step)
            print(f'figure: clock: answer at {name}: {len(ons)} notes, off the {step}-tick grid (120 BPM ticks) by at most {max(d)} ticks')
            check(max(d) <= tol, f'the answer at {name} is on its eighth-note grid ({step} ticks at 120 BPM), tol {tol}: {d}')
    worst = max(offs.values()) if offs else None
    print(f'figure: clock stop: {len(at_stop)} notes sounding at the stop; all-notes-off on {sorted(offs)} of {used} '
          f'within {worst if worst is None else round(worst, 1)} ms; note-ons while stopped {silent}')
    check(not silent, f'no note while the clock is stopped: {silent}')
    if at_stop:
        check({c for c, _ in at_stop} <= set(offs) and worst <= limit_ms,
              f'all-notes-off within {limit_ms} ms of the stop on the channels sounding: {sorted(offs)}')
    left = sounding_after(ev)
    check(not left, f'no note left sounding: {sorted(left)}')


def restart(rec_path, kill_path, require_off=False):
    """A daemon killed by SIGKILL mid-answer and the next one started: what the recorder got."""
    _, t_kill = read_signal(kill_path)
    ev = read_record(rec_path)
    before = [e for e in ev if e[0] < t_kill]
    after = [e for e in ev if e[0] >= t_kill]
    left_by_killed = sounding_after(before)
    ons_after = [e for e in after if e[3] == 'noteOn']
    first_on = ons_after[0][0] if ons_after else float('inf')
    cleared = sorted({e[4] for e in after if e[3] == 'allNotesOff' and e[0] <= first_on})
    still = sounding_after(after, left_by_killed)
    own = sounding_after(after)
    print(f'figure: SIGKILL: {len(left_by_killed)} notes left sounding by the killed daemon {sorted(left_by_killed)}; '
          f'the restarted one sent all-notes-off on {cleared} before its first note; '
          f'it played {len(ons_after)} notes; sounding at the end: {sorted(still)}')
    check(len(ons_after) >= 4, f'the restarted daemon answered ({len(ons_after)} notes)')
    check(not own, f'the restarted daemon ended every note it played: {sorted(own)}')
    if require_off:
        check(not still, f'the notes the killed daemon left were cleared at startup: {sorted(still)}')


def listens(mid_path):
    """improv daemon's answers to two-keys.mid: the call in F answered in F, the call in C minor in C minor."""
    mid = mido.MidiFile(mid_path)
    tracks = [tr for tr in mid.tracks if any(m.type == 'note_on' for m in tr)]
    check(len(tracks) == 2, f'two tracks with notes (the calls, improv): {len(tracks)}')
    if len(tracks) != 2:
        return
    def ons(track):
        out, t = [], 0
        for m in track:
            t += m.time
            if m.type == 'note_on' and m.velocity > 0:
                out.append((t, m.channel, m.note, m.velocity))
        return out
    call, improv = ons(tracks[0]), ons(tracks[1])
    check(len(call) == 23, f'the two calls: 23 notes ({len(call)})')
    if len(call) != 23:
        return
    second = call[13][0]  # the C minor call's first note
    scales = {'F': ({5, 7, 9, 10, 0, 2, 4} | {8, 3}, set()), 'Cm': ({0, 2, 3, 5, 7, 8, 10, 11}, {4})}
    for name, part, (lo, hi) in (('F', 'the first answer', (call[12][0], second)),
                                 ('Cm', 'the second answer', (call[-1][0], 10 ** 9))):
        melody = [(n, v) for t, c, n, v in improv if c == 1 and lo < t < hi]
        chords = [n for t, c, n, v in improv if c == 0 and lo < t < hi]
        allowed, never = scales[name]
        print(f'{part} ({name}): melody {[n for n, _ in melody]}, chord notes {sorted(set(chords))}')
        check(len(melody) >= 4, f'{part}: at least 4 melody notes ({len(melody)})')
        if melody:
            share = sum(n % 12 in allowed for n, _ in melody) / len(melody)
            check(share >= 0.85, f'{part} in {name}: {share:.0%} of its notes')
            check(len({v for _, v in melody}) >= 3, f'{part}: at least 3 velocities')
        check(not any(n % 12 in never for n in chords + [n for n, _ in melody]), f'{part}: no E natural in C minor')
        if name == 'F':
            check(any(n % 12 == 5 for n in chords), f'{part}: the band plays in F (an F in its chords)')
        else:
            check(any(n % 12 == 3 for n in chords), f'{part}: minor chords (an Eb in them)')


if __name__ == '__main__':
    mode = sys.argv[1]
    if mode == 'echo':
        echo(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 10)
    elif mode == 'play':
        play(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 10)
    elif mode == 'audio':
        audio(sys.argv[2])
    elif mode == 'answer':
        extra = sys.argv[5:]
        swing = next((int(a.split(':')[1]) for a in extra if a.startswith('swing:')), None)
        answer(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), panic='panic' in extra, swing=swing)
    elif mode == 'listens':
        listens(sys.argv[2])
    elif mode == 'stop':
        rest = sys.argv[3:]
        stop(float(sys.argv[2]), list(zip(rest[0::2], rest[1::2])))
    elif mode == 'clock':
        clock(sys.argv[2], sys.argv[3])
    elif mode == 'follows':
        follows(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
    elif mode == 'restart':
        restart(sys.argv[2], sys.argv[3], require_off='require-startup-off' in sys.argv[4:])
    else:
        sys.exit(f'unknown mode {mode}')
    print('FAILED: ' + '; '.join(failures) if failures else 'all checks passed')
    sys.exit(1 if failures else 0)
