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
  kit    bank 128 program 0: a pitch-swept kick (keys 35-36) and a noise hit (others)

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
INITIAL_ATTENUATION, SCALE_TUNING, REVERB_SEND = 48, 56, 16


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
    instruments.append(("kit", [gen(RELEASE_VOL, timecents(0.1))], [
        (35, 36, kick_s, [gen(SCALE_TUNING, 0)]),
        (0, 34, hit_s, [gen(SCALE_TUNING, 20)]),
        (37, 127, hit_s, [gen(SCALE_TUNING, 20)]),
    ]))
    kit_i = len(instruments) - 1

    gm_names = ["Piano", "Organ", "Bass", "Strings", "Brass", "Reed", "Pipe", "Synth"]

    def family(program):
        if 32 <= program <= 39:
            return bass_i, "Bass"
        if 16 <= program <= 23 or 40 <= program <= 95:
            return reed_i, "Reed"
        return piano_i, "Piano"

    presets = [(f"{family(p)[1]} {p}", p, 0, family(p)[0]) for p in range(128)]
    presets.append(("Kit", 0, 128, kit_i))

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
                      chunk("ICMT", zstr("Piano, reed, bass and a small kit, synthesized from sine partials.")),
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
