# improv: the two commands of the README, and the pieces they are made of.
SWIFT ?= swift
OUT ?= out
IMPROV_RELEASE = .build/release/improv

.PHONY: all deps build release demo test test-swift vm-test fuzz fuzz-full clean default-model bench

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product improv

# The main job on embedded defaults: a call-and-response blues jam (improv's own call, the
# built-in model and preset) rendered to WAV, MIDI and an SVG piano roll; then the session in
# the terminal (the player's calls and improv's melody above, improv's chords below).
demo: release
	mkdir -p $(OUT)
	$(IMPROV_RELEASE) jam --seed 1 --wav $(OUT)/jam.wav --midi $(OUT)/jam.mid --svg $(OUT)/jam.svg
	$(IMPROV_RELEASE) inspect $(OUT)/jam.mid --split pitch:60

# Every test: installs what is missing, builds, runs the Swift test suite (which includes the
# mido and safetensors cross-checks), then the real-ALSA suite in a VM (scripts/vm-test.sh).
test: deps test-swift vm-test

test-swift:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

vm-test:
	scripts/vm-test.sh

# Fuzzing of every parser of outside input (MIDI files, presets, model files, ALSA events) with
# libFuzzer and AddressSanitizer, in .build-fuzz (fuzz/README.md). `fuzz` runs each target for
# FUZZ_SECONDS (a CI-sized run); `fuzz-full` runs each for a million executions (fuzz/RESULTS.md).
FUZZ_SECONDS ?= 30
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-full:
	scripts/fuzz.sh --runs 1000000

clean:
	rm -rf .build .build-fuzz $(OUT)

# Trains the default model on the Eck corpus and builds it into improv (one command; about
# ten seconds of training on two cores). The model, its loss log and plot stay in models/.
default-model: release
	$(IMPROV_RELEASE) train --corpus eck-blues --seed 1 --out models/default.safetensors
	rm -rf models/default.checkpoints
	scripts/embed-model.sh models/default.safetensors
	$(SWIFT) build -c release --product improv

# Benchmarks (not tests): the model beside the PyTorch reference (bench/RESULTS.md), the
# engine's per-slice cost (bench/RESULTS-engine.md), rendering beside fluidsynth's own command
# line and the demo jam (bench/RESULTS-sound.md).
bench: deps
	python3 -c "import torch" 2>/dev/null || python3 -m pip install -q torch
	command -v fluidsynth >/dev/null || apt-get install -y -q fluidsynth
	python3 bench/run.py
	python3 bench/engine-bench.py
	python3 bench/render-bench.py
