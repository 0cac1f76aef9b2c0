// libfluidsynth for Swift. Only improv's thin synth module imports this.
//
// FluidSynth's API is plain functions, so this shim only gathers the one header; it
// exists so that the system-library target has a stable place for wrappers of any macro
// the synth module comes to need (FLUID_OK and FLUID_FAILED import as constants already).
#ifndef IMPROV_CFLUIDSYNTH_SHIM_H
#define IMPROV_CFLUIDSYNTH_SHIM_H

#include <fluidsynth.h>

/// FluidSynth's version as one number, major*10000 + minor*100 + micro.
static inline int improv_fluid_version(void) {
    int major = 0, minor = 0, micro = 0;
    fluid_version(&major, &minor, &micro);
    return major * 10000 + minor * 100 + micro;
}

#endif
