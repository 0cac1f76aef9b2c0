#!/usr/bin/env python3
"""Synthesizes improv's own General MIDI soundfont, soundfonts/improv.sf2.

    python3 tools/make-soundfont.py [OUT.sf2]        (default: soundfonts/improv.sf2)

Everything is computed here from sine partials and seeded noise, so the file is
reproducible byte for byte and free of third-party rights (CC0, see soundfonts/README.md).

Instruments (one sample per root key, nearest root wins, zones split halfway):
  piano  decaying inharmonic partials, detuned string pairs, no loop
         (roots C2 C3 C4 C5 C6; GM programs 0-15 and every family not listed below)
  reed   sustained sax-like tone, looped over a whole number of periods
         (roots C3 C4 C5 C6; GM 16-23 organs, 40-95 strings/brass/reeds/pipes/synths)
  bass   plucked bass, decaying, no loop (roots E1 E2 E3; GM 32-39)
  kit    bank 128 program 0 (GM standard kit): kick 35-36, side stick 37 (and GM2 sticks 31),
         snare 38/40, toms 41-50 (one sample, pitch follows the key), closed, pedal and open
         hi-hat 42/44/46, crash 49/57 (splash 55, china 52), ride 51/59 and ride bell 53,
         wood blocks 76/77 and GM2 metronome click/bell 33/34, a noise hit on the other keys
  brush  bank 128 program 40 (GM2 brush kit): the kit with brush tap 38, slap 39, swirl 40
  Cymbals, the open hi-hat and the swirl are short attacks followed by a loop of periodic
  noise (bell partials on whole-loop frequencies, so the loop is seamless); their long decay
  is the volume envelope's, which keeps the file small.

Layout written (SF2 2.01): RIFF sfbk { LIST INFO { ifil isng INAM ICOP ICMT ISFT }
LIST sdta { smpl } LIST pdta { phdr pbag pmod pgen inst ibag imod igen shdr } },
each pdta list ending with its terminal record, each sample followed by 46 zeros.
"""
import os
import struct
import sys

import numpy as np

RATE = 32000          # sample data rate: 16 kHz bandwidth is plenty and keeps the file small
rng = np.random.default_rng(20240601)


def hz(key):
    return 440.0 * 2.0 ** ((key - 69) / 12.0)


def to_int16(x, peak=0.89):
    x = x / max(1e-9, np.max(np.abs(x))) * peak
    return np.round(x * 32767).astype(np.int16)


def piano(key):
    f0 = hz(key)
    seconds = 2.4 if key < 55 else 1.8 if key < 70 else 1.3
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    out = np.zeros(n)
    inharm = 0.00012 * 2 ** ((key - 48) / 24)
    tau1 = 1.6 * 2 ** (-(key - 48) / 30)          # fundamental decay time, shorter up high
    for p in range(1, 40):
        fp = p * f0 * np.sqrt(1 + inharm * p * p)
        if fp > RATE * 0.42:
            break
        amp = 1.0 / p ** 1.3 * (1.0 if p == 1 else 0.8)
        tau = tau1 / (1 + 0.45 * (p - 1))
        env = 0.75 * np.exp(-t / tau) + 0.25 * np.exp(-t / (tau * 3))   # prompt + aftersound
        phase = rng.uniform(0, 2 * np.pi)
        for detune in (-0.6, 0.6):                    # two strings in phase, a slow beat
            out += amp * env * np.sin(2 * np.pi * fp * (1 + detune / 1200 * 0.5) * t + phase) * 0.5
    out += 0.02 * rng.standard_normal(n) * np.exp(-t / 0.01)   # hammer thump
    out *= np.minimum(1.0, t / 0.002)                 # 2 ms attack, no click
    fade = int(0.15 * RATE)
    out[-fade:] *= np.linspace(1, 0, fade) ** 2
    return to_int16(out), None


def reed(key):
    """A sustained tone: attack, then a loop of exactly `cycles` periods of a periodic wave."""
    f_nominal = hz(key)
    cycles = max(4, int(round(0.08 * f_nominal)))
    loop_len = int(round(cycles * RATE / f_nominal))
    f = cycles * RATE / loop_len                        # the frequency the loop really has
    attack = int(0.09 * RATE)
    attack = (attack // loop_len + 1) * loop_len        # loop start on a period boundary
    n = attack + 2 * loop_len + 64
    t = np.arange(n) / RATE
    out = np.zeros(n)
    # A reed spectrum: the fundamental strongest, a dense, slowly falling series of harmonics.
    shape = [1.0, 0.42, 0.30, 0.22, 0.18, 0.14, 0.11, 0.09, 0.07, 0.05, 0.04, 0.03]
    bright = np.minimum(1.0, t / 0.03)                  # upper harmonics grow during the attack
    for p, a in enumerate(shape, start=1):
        if p * f > RATE * 0.42:
            break
        g = a if p == 1 else a * bright
        out += g * np.sin(2 * np.pi * p * f * t + 0.3 * p)
    breath = rng.standard_normal(loop_len)              # periodic breath noise: loops cleanly
    spectrum = np.fft.rfft(breath)
    freqs = np.fft.rfftfreq(loop_len, 1 / RATE)
    spectrum[(freqs < 800) | (freqs > 6000)] = 0
    breath = np.fft.irfft(spectrum, loop_len)
    breath /= np.max(np.abs(breath))
    out += 0.03 * np.resize(breath, n)
    out *= np.minimum(1.0, t / 0.012)                  # a tongued start
    data = to_int16(out, peak=0.7)
    loop_start = attack
    loop_end = attack + loop_len                        # first point after the loop: equals loop_start
    correction = 1200 * np.log2(f_nominal / f)
    return data, (loop_start, loop_end, int(round(correction)))


def bass(key):
    f0 = hz(key)
    n = int(1.6 * RATE)
    t = np.arange(n) / RATE
    out = np.zeros(n)
    for p in range(1, 16):
        if p * f0 > RATE * 0.42:
            break
        amp = 1.0 / p ** 1.6
        tau = 0.9 / (1 + 0.7 * (p - 1))
        out += amp * np.exp(-t / tau) * np.sin(2 * np.pi * p * f0 * t)
    out *= np.minimum(1.0, t / 0.003)
    fade = int(0.2 * RATE)
    out[-fade:] *= np.linspace(1, 0, fade) ** 2
    return to_int16(out), None


def kick():
    n = int(0.35 * RATE)
    t = np.arange(n) / RATE
    freq = 50 + 90 * np.exp(-t / 0.03)
    out = np.sin(2 * np.pi * np.cumsum(freq) / RATE) * np.exp(-t / 0.12)
    out *= np.minimum(1.0, t / 0.001)
    return to_int16(out), None


def noise_hit():
    n = int(0.3 * RATE)
    t = np.arange(n) / RATE
    out = rng.standard_normal(n) * np.exp(-t / 0.06)
    out *= np.minimum(1.0, t / 0.001)
    return to_int16(out, peak=0.6), None


# --- drums --------------------------------------------------------------------------------

def band_noise(n, lo, hi, tilt=0.0):
    """Periodic noise of period n (a whole loop), band-limited to lo..hi Hz, spectrum falling
    by `tilt` dB per octave above lo."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / RATE)
    spectrum[(freqs < lo) | (freqs > hi)] = 0
    if tilt:
        spectrum *= np.where(freqs > lo, (np.maximum(freqs, 1) / lo) ** (-tilt / 6.02), 1.0)
    out = np.fft.irfft(spectrum, n)
    return out / max(1e-9, np.max(np.abs(out)))


def loud(x, drive):
    """Soft-clips a hit so its body is louder next to its transient (drums need level, not peaks)."""
    x = x / max(1e-9, np.max(np.abs(x)))
    return np.tanh(drive * x) / np.tanh(drive)


def one_shot(seconds, body):
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    out = body(n, t)
    out *= np.minimum(1.0, t / 0.0008)
    fade = max(1, int(0.01 * RATE))
    out[-fade:] *= np.linspace(1, 0, fade)
    return out


def snare():
    def body(n, t):
        shell = (np.sin(2 * np.pi * 185 * t) + 0.6 * np.sin(2 * np.pi * 330 * t + 1)) * np.exp(-t / 0.045)
        wires = band_noise(n, 1500, 9000, tilt=2) * np.exp(-t / 0.11)
        return 0.8 * shell + wires
    return to_int16(loud(one_shot(0.32, body), 2.5), peak=0.89), None


def side_stick():
    def body(n, t):
        knock = sum(a * np.sin(2 * np.pi * f * t) for f, a in ((1750, 1.0), (2630, 0.6), (820, 0.5)))
        return knock * np.exp(-t / 0.018) + 0.5 * rng.standard_normal(n) * np.exp(-t / 0.004)
    return to_int16(loud(one_shot(0.1, body), 2.5), peak=0.89), None


def hat(seconds, decay):
    def body(n, t):
        metal = sum(np.sign(np.sin(2 * np.pi * f * t + i)) for i, f in enumerate((3150, 4230, 5470, 6920, 8110)))
        return (0.25 * metal * band_noise(n, 6000, 15000) + band_noise(n, 6500, 15500)) * np.exp(-t / decay)
    return to_int16(loud(one_shot(seconds, body), 3.0), peak=0.89), None


def tom():
    def body(n, t):
        f = 130 * (1 + 0.35 * np.exp(-t / 0.04))
        tone = np.sin(2 * np.pi * np.cumsum(f) / RATE) * np.exp(-t / 0.2)
        return tone + 0.25 * band_noise(n, 300, 4000, tilt=3) * np.exp(-t / 0.03)
    return to_int16(one_shot(0.5, body), peak=0.85), None


def click():
    def body(n, t):
        return (np.sin(2 * np.pi * 1900 * t) + 0.5 * np.sin(2 * np.pi * 3100 * t)) * np.exp(-t / 0.015)
    return to_int16(loud(one_shot(0.07, body), 2.0), peak=0.89), None


def brush(seconds, decay, lo, hi):
    def body(n, t):
        return band_noise(n, lo, hi, tilt=2) * np.exp(-t / decay) * np.minimum(1.0, t / 0.004)
    return to_int16(loud(one_shot(seconds, body), 2.5), peak=0.85), None


def looped(attack_s, loop_s, lo, hi, tilt, partials=(), strike=0.0, swirl=False):
    """An attack, then a seamless loop of `loop_s` seconds of periodic noise (and partials on
    frequencies that repeat with the loop). Returns (int16 data, (loop start, loop end, 0))."""
    loop = int(loop_s * RATE)
    attack = int(attack_s * RATE)
    n = attack + loop + 64
    t = np.arange(n) / RATE
    noise = np.resize(band_noise(loop, lo, hi, tilt), n)
    tone = np.zeros(n)
    for f, a in partials:
        k = round(f * loop / RATE)                        # whole cycles per loop
        tone += a * np.sin(2 * np.pi * k * np.arange(n) / loop)
    out = noise + tone
    if swirl:                                             # a slow rise and fall, once per loop
        out *= 0.55 + 0.45 * np.sin(2 * np.pi * np.arange(n) / loop) ** 2
    if strike:                                            # the stick's crack, gone by the loop
        burst = rng.standard_normal(n) * np.exp(-t / 0.006) * strike
        burst[attack:] = 0
        out += burst
    out *= np.minimum(1.0, t / (0.03 if swirl else 0.0008))
    return to_int16(loud(out, 2.5), peak=0.89), (attack, attack + loop, 0)


def ride():
    bell = ((523, 0.35), (1340, 0.25), (2210, 0.2), (3370, 0.12), (4850, 0.08))
    return looped(0.06, 0.25, 3000, 14000, 1.5, bell, strike=0.6)


def crash():
    return looped(0.08, 0.2, 1500, 15000, 1.0, (), strike=0.8)


def open_hat():
    return looped(0.03, 0.1, 6000, 15500, 0.0, ((4230, 0.15), (6920, 0.1)), strike=0.5)


def swirl():
    return looped(0.02, 0.4, 1200, 7000, 2.0, (), swirl=True)


# --- SF2 writing -------------------------------------------------------------------------

def chunk(tag, data):
    assert len(data) % 2 == 0
    return tag.encode() + struct.pack("<I", len(data)) + data


def list_chunk(kind, *chunks):
    body = kind.encode() + b"".join(chunks)
    return b"LIST" + struct.pack("<I", len(body)) + body


def zstr(s):
    b = s.encode("ascii") + b"\0"
    return b + (b"\0" if len(b) % 2 else b"")


def name20(s):
    return s.encode("ascii")[:19].ljust(20, b"\0")


# generator numbers (SF2 2.01 section 8.1.2)
INSTRUMENT, KEY_RANGE, SAMPLE_ID, SAMPLE_MODES, ROOT_KEY = 41, 43, 53, 54, 58
ATTACK_VOL, HOLD_VOL, DECAY_VOL, SUSTAIN_VOL, RELEASE_VOL = 34, 35, 36, 37, 38
INITIAL_ATTENUATION, SCALE_TUNING, REVERB_SEND, COARSE_TUNE = 48, 56, 16, 51


def timecents(seconds):
    return int(round(1200 * np.log2(seconds)))


def gen(oper, amount):
    return struct.pack("<Hh", oper, amount)


def gen_range(lo, hi):
    return struct.pack("<HBB", KEY_RANGE, lo, hi)


def build(path):
    samples = []       # (name, int16 data, root key, loop or None)

    def add(name, root, made):
        data, loop = made
        samples.append((name, data, root, loop))
        return len(samples) - 1

    # instrument definitions: name, global generators, [(lo, hi, sample index, extra gens)]
    instruments = []

    def keyed(name, roots, maker, globals_, looped):
        ids = [add(f"{name}{root}", root, maker(root)) for root in roots]
        zones = []
        for i, root in enumerate(roots):
            lo = 0 if i == 0 else (roots[i - 1] + root) // 2 + 1
            hi = 127 if i == len(roots) - 1 else (root + roots[i + 1]) // 2
            extra = [gen(SAMPLE_MODES, 1)] if looped else []
            zones.append((lo, hi, ids[i], extra))
        instruments.append((name, globals_, zones))
        return len(instruments) - 1

    piano_i = keyed("piano", [36, 48, 60, 72, 84], piano,
                    [gen(RELEASE_VOL, timecents(0.35)), gen(REVERB_SEND, 150)], False)
    reed_i = keyed("reed", [48, 60, 72, 84], reed,
                   [gen(ATTACK_VOL, timecents(0.004)), gen(RELEASE_VOL, timecents(0.12)),
                    gen(INITIAL_ATTENUATION, 20), gen(REVERB_SEND, 150)], True)
    bass_i = keyed("bass", [28, 40, 52], bass,
                   [gen(RELEASE_VOL, timecents(0.15))], False)
    kick_s = add("kick", 36, kick())
    hit_s = add("hit", 60, noise_hit())
    snare_s = add("snare", 38, snare())
    stick_s = add("sidestick", 37, side_stick())
    closed_s = add("hihat-closed", 42, hat(0.14, 0.035))
    pedal_s = add("hihat-pedal", 44, hat(0.1, 0.022))
    open_s = add("hihat-open", 46, open_hat())
    ride_s = add("ride", 51, ride())
    crash_s = add("crash", 49, crash())
    tom_s = add("tom", 45, tom())
    click_s = add("click", 76, click())
    tap_s = add("brush-tap", 38, brush(0.16, 0.05, 1500, 7000))
    slap_s = add("brush-slap", 39, brush(0.22, 0.08, 900, 9000))
    swirl_s = add("brush-swirl", 40, swirl())

    fixed = [gen(SCALE_TUNING, 0)]                       # the sample's own pitch on its keys

    def cymbal(decay, release):
        return fixed + [gen(SAMPLE_MODES, 1), gen(DECAY_VOL, timecents(decay)), gen(SUSTAIN_VOL, 1000),
                        gen(RELEASE_VOL, timecents(release))]

    def kit_zones(brushes):
        zones = {}                                        # key -> (sample, extra generators)
        for k in range(128):
            zones[k] = (hit_s, [gen(SCALE_TUNING, 20)])
        zones[31] = (stick_s, fixed + [gen(COARSE_TUNE, 3)])
        zones[33] = (click_s, fixed + [gen(COARSE_TUNE, -3)])
        zones[34] = (click_s, fixed + [gen(COARSE_TUNE, 4)])
        zones[35] = zones[36] = (kick_s, fixed)
        zones[37] = (stick_s, fixed)
        zones[38] = (snare_s, fixed)
        zones[39] = (snare_s, fixed + [gen(COARSE_TUNE, 5)])
        zones[40] = (snare_s, fixed + [gen(COARSE_TUNE, 2)])
        for k in (41, 43, 45, 47, 48, 50):
            zones[k] = (tom_s, [])                        # pitch follows the key from 45
        zones[42] = (closed_s, fixed)
        zones[44] = (pedal_s, fixed)
        zones[46] = (open_s, cymbal(1.6, 0.25))
        zones[49] = zones[57] = (crash_s, cymbal(3.5, 1.2))
        zones[52] = (crash_s, cymbal(2.5, 1.0) + [gen(COARSE_TUNE, -3)])
        zones[55] = (crash_s, cymbal(1.5, 0.8) + [gen(COARSE_TUNE, 4)])
        zones[51] = zones[59] = (ride_s, cymbal(5.0, 1.0))
        zones[53] = (ride_s, cymbal(3.0, 1.0) + [gen(COARSE_TUNE, 5)])
        zones[76] = (click_s, fixed)
        zones[77] = (click_s, fixed + [gen(COARSE_TUNE, -5)])
        if brushes:
            zones[38] = (tap_s, fixed)
            zones[39] = (slap_s, fixed)
            zones[40] = (swirl_s, fixed + [gen(SAMPLE_MODES, 1), gen(ATTACK_VOL, timecents(0.06)),
                                           gen(RELEASE_VOL, timecents(0.3))])
        # runs of keys that share a zone become one key range
        out, k = [], 0
        while k < 128:
            j = k
            while j + 1 < 128 and zones[j + 1] == zones[k]:
                j += 1
            sid, extra = zones[k]
            out.append((k, j, sid, extra))
            k = j + 1
        return out

    instruments.append(("kit", [gen(RELEASE_VOL, timecents(0.15))], kit_zones(False)))
    kit_i = len(instruments) - 1
    instruments.append(("brush kit", [gen(RELEASE_VOL, timecents(0.15))], kit_zones(True)))
    brush_i = len(instruments) - 1

    gm_names = ["Piano", "Organ", "Bass", "Strings", "Brass", "Reed", "Pipe", "Synth"]

    def family(program):
        if 32 <= program <= 39:
            return bass_i, "Bass"
        if 16 <= program <= 23 or 40 <= program <= 95:
            return reed_i, "Reed"
        return piano_i, "Piano"

    presets = [(f"{family(p)[1]} {p}", p, 0, family(p)[0]) for p in range(128)]
    presets.append(("Kit", 0, 128, kit_i))
    presets.append(("Brush Kit", 40, 128, brush_i))

    # sdta: every sample followed by 46 zero points
    smpl = bytearray()
    shdr = bytearray()
    for name, data, root, loop in samples:
        start = len(smpl) // 2
        smpl += data.tobytes()
        end = start + len(data)
        smpl += bytes(2 * 46)
        if loop:
            ls, le, corr = start + loop[0], start + loop[1], loop[2]
        else:
            ls, le, corr = start + 8, end - 8, 0     # unused (no loop mode), kept in range
        shdr += name20(name) + struct.pack("<IIIIIBbHH", start, end, ls, le, RATE, root, corr, 0, 1)
    shdr += name20("EOS") + bytes(26)

    inst, ibag, igen = bytearray(), bytearray(), bytearray()
    for name, globals_, zones in instruments:
        inst += name20(name) + struct.pack("<H", len(ibag) // 4)
        ibag += struct.pack("<HH", len(igen) // 4, 0)       # global zone: no sampleID
        for g in globals_:
            igen += g
        for lo, hi, sid, extra in zones:
            ibag += struct.pack("<HH", len(igen) // 4, 0)
            igen += gen_range(lo, hi) + gen(ROOT_KEY, samples[sid][2])
            for g in extra:
                igen += g
            igen += gen(SAMPLE_ID, sid)                    # sampleID last
    inst += name20("EOI") + struct.pack("<H", len(ibag) // 4)
    ibag += struct.pack("<HH", len(igen) // 4, 0)
    igen += bytes(4)
    imod = bytes(10)

    phdr, pbag, pgen = bytearray(), bytearray(), bytearray()
    for name, program, bank, inst_index in presets:
        phdr += name20(name) + struct.pack("<HHHIII", program, bank, len(pbag) // 4, 0, 0, 0)
        pbag += struct.pack("<HH", len(pgen) // 4, 0)
        pgen += gen(INSTRUMENT, inst_index)                # instrument last
    phdr += name20("EOP") + struct.pack("<HHHIII", 0, 0, len(pbag) // 4, 0, 0, 0)
    pbag += struct.pack("<HH", len(pgen) // 4, 0)
    pgen += bytes(4)
    pmod = bytes(10)

    info = list_chunk("INFO",
                      chunk("ifil", struct.pack("<HH", 2, 1)),
                      chunk("isng", zstr("EMU8000")),
                      chunk("INAM", zstr("improv GM (synthesized)")),
                      chunk("ICOP", zstr("CC0 1.0: generated by improv tools/make-soundfont.py")),
                      chunk("ICMT", zstr("Piano, reed, bass, a GM drum kit and a brush kit, synthesized from sine partials and noise.")),
                      chunk("ISFT", zstr("improv make-soundfont.py")))
    sdta = list_chunk("sdta", chunk("smpl", bytes(smpl)))
    pdta = list_chunk("pdta", chunk("phdr", bytes(phdr)), chunk("pbag", bytes(pbag)),
                      chunk("pmod", pmod), chunk("pgen", bytes(pgen)), chunk("inst", bytes(inst)),
                      chunk("ibag", bytes(ibag)), chunk("imod", imod), chunk("igen", bytes(igen)),
                      chunk("shdr", bytes(shdr)))
    body = b"sfbk" + info + sdta + pdta
    data = b"RIFF" + struct.pack("<I", len(body)) + body
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    print(f"{path}: {len(data)} bytes, {len(samples)} samples, {len(instruments)} instruments, "
          f"{len(presets)} presets")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    build(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "soundfonts", "improv.sf2"))
