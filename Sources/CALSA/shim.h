// libasound for Swift. Only improv's thin ALSA module imports this.
//
// Why a shim: ALSA's sequencer event helpers (snd_seq_ev_set_noteon, ..._schedule_tick,
// ..._subs and friends) are C macros, which Swift cannot call. Each is wrapped here as a
// static inline function with the same arguments, prefixed improv_ so that nothing clashes
// with a future libasound symbol.
#ifndef IMPROV_CALSA_SHIM_H
#define IMPROV_CALSA_SHIM_H

#include <alsa/asoundlib.h>

static inline void improv_snd_seq_ev_clear(snd_seq_event_t *ev) { snd_seq_ev_clear(ev); }

static inline void improv_snd_seq_ev_set_noteon(snd_seq_event_t *ev, unsigned char ch, unsigned char key, unsigned char vel) {
    snd_seq_ev_set_noteon(ev, ch, key, vel);
}

static inline void improv_snd_seq_ev_set_noteoff(snd_seq_event_t *ev, unsigned char ch, unsigned char key, unsigned char vel) {
    snd_seq_ev_set_noteoff(ev, ch, key, vel);
}

static inline void improv_snd_seq_ev_set_controller(snd_seq_event_t *ev, unsigned char ch, unsigned int cc, int val) {
    snd_seq_ev_set_controller(ev, ch, cc, val);
}

static inline void improv_snd_seq_ev_set_pgmchange(snd_seq_event_t *ev, unsigned char ch, int val) {
    snd_seq_ev_set_pgmchange(ev, ch, val);
}

static inline void improv_snd_seq_ev_set_source(snd_seq_event_t *ev, unsigned char port) { snd_seq_ev_set_source(ev, port); }

/// Send to every subscriber of the source port.
static inline void improv_snd_seq_ev_set_subs(snd_seq_event_t *ev) { snd_seq_ev_set_subs(ev); }

static inline void improv_snd_seq_ev_set_dest(snd_seq_event_t *ev, unsigned char client, unsigned char port) {
    snd_seq_ev_set_dest(ev, client, port);
}

/// Deliver now, bypassing any queue.
static inline void improv_snd_seq_ev_set_direct(snd_seq_event_t *ev) { snd_seq_ev_set_direct(ev); }

/// Deliver at a tick of a queue (absolute when relative is 0): the kernel keeps the time.
static inline void improv_snd_seq_ev_schedule_tick(snd_seq_event_t *ev, int queue, int relative, snd_seq_tick_time_t tick) {
    snd_seq_ev_schedule_tick(ev, queue, relative, tick);
}

/// A queue control event (start, stop, continue, tempo) for `queue`, sent through the system timer.
static inline void improv_snd_seq_ev_set_queue_control(snd_seq_event_t *ev, unsigned char type, int queue, int value) {
    snd_seq_ev_set_queue_control(ev, type, queue, value);
}

static inline void improv_snd_seq_ev_set_pitchbend(snd_seq_event_t *ev, unsigned char ch, int val) {
    snd_seq_ev_set_pitchbend(ev, ch, val);
}

/// Mark the event as fixed-length (no variable data): clock, start, stop, continue.
static inline void improv_snd_seq_ev_set_fixed(snd_seq_event_t *ev) { snd_seq_ev_set_fixed(ev); }

#endif
