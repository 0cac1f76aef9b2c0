# improv: the two commands of the README, and the pieces they are made of.
SWIFT ?= swift
OUT ?= out
IMPROV_RELEASE = .build/release/improv

.PHONY: all deps build release demo check test test-swift test-python test-alloc test-asan test-tsan fuzz fuzz-full vm-test test-full-disk clean default-model bench install uninstall man test-install

# Where `make install` puts things (DESTDIR for packagers: make install DESTDIR=/tmp/pkg PREFIX=/usr).
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
DATADIR = $(PREFIX)/share/improv
MANDIR = $(PREFIX)/share/man/man1
UNITDIR ?= $(PREFIX)/lib/systemd/system
USERUNITDIR ?= $(PREFIX)/lib/systemd/user
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
SYSCONFDIR ?= /etc
MANPAGE = .build/plugins/GenerateManual/outputs/improv/improv.1

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
# mido, safetensors and PyTorch cross-checks) and python/tests (pytest), runs it again under ASan and TSan, fuzzes each parser
# for FUZZ_SECONDS (fuzz/), fills a small file system under improv's writers (Tests/fs),
# checks `make install` with systemd's tools (Tests/install), then runs the real-ALSA suite
# in a VM (scripts/vm-test.sh). Also checks that the per-slice path allocates nothing (test-alloc).
test: deps test-swift test-python test-alloc test-asan test-tsan fuzz test-full-disk test-install vm-test

test-swift:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The PyTorch trainer's own tests (python/improv_torch; the tests against improv are Swift tests).
test-python: deps
	python3 -m pytest -q python/tests

# The per-slice path allocates nothing: each mode's slice step (call and response, backing with
# the band, free running), the model's step, the chord decoder and taking learned weights,
# counted by an allocator preloaded into a release build (Tests/alloc/README.md).
test-alloc: deps
	Tests/alloc/check-allocations.sh

# The fast inner loop, for while you work: a debug build, the Swift tests in parallel with the
# property test cut to CHECK_PROPERTY_COUNT scripts and the slowest tests left to `make test`
# (IMPROV_CHECK=1 skips them), then the format lint (.swift-format, scripts/format-lint.sh).
# No sanitizers, fuzzing, VM or allocation check (that needs a release build). Under 3 minutes
# on two cores once .build holds a build. `make test` stays the full gate.
CHECK_PROPERTY_COUNT ?= 100
check: deps
	$(SWIFT) build --build-tests
	IMPROV_CHECK=1 IMPROV_PROPERTY_COUNT=$(CHECK_PROPERTY_COUNT) $(SWIFT) test --skip-build --parallel
	scripts/format-lint.sh

# The VM tests time a live daemon in an emulated guest: they run the release build, the one
# `make install` and the systemd unit run (a debug build's planning is several times slower,
# and its figures would be about the build, not the daemon).
vm-test: release
	VM_IMPROV=$(abspath $(IMPROV_RELEASE)) scripts/vm-test.sh

# Fuzzing of every parser of outside input (MIDI files, presets, model files, ALSA events) with
# libFuzzer and AddressSanitizer, in .build-fuzz (fuzz/README.md). `fuzz` runs each target for
# FUZZ_SECONDS (a CI-sized run); `fuzz-full` runs each for a million executions (fuzz/RESULTS.md).
FUZZ_SECONDS ?= 30
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-full:
	scripts/fuzz.sh --runs 1000000

# A full disk never leaves a half-written model, MIDI or WAV file (needs root: mounts a tmpfs).
test-full-disk: deps
	$(SWIFT) build --product improv
	IMPROV=.build/debug/improv Tests/fs/full-disk.sh

# The Swift tests under AddressSanitizer (LeakSanitizer included) and under ThreadSanitizer,
# each built in its own folder; the first report fails the run. The CLI tests run the improv
# binary of the same folder, so it is checked too (the options reach it through the
# environment). Suppressions: only code that is not improv's, each entry explained in
# Tests/sanitizers/lsan.supp; the triage is in Tests/sanitizers/README.md.
SAN_DIR = $(CURDIR)/Tests/sanitizers
# IMPROV_SANITIZER=1: the three learning-quality tests (minutes under a sanitizer) are left to
# test-swift; the learner's threads and fine-tune still run under both in the shorter tests.
ASAN_ENV = IMPROV_SANITIZER=1 ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$(SAN_DIR)/lsan.supp:print_suppressions=0
TSAN_ENV = IMPROV_SANITIZER=1 TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1

test-asan: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	$(ASAN_ENV) $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan

test-tsan: deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	$(TSAN_ENV) $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan

clean:
	rm -rf .build .build-asan .build-tsan .build-fuzz $(OUT)

# Trains the default model on the mixed corpus (call-and-answer phrases in blues, major, minor
# and dorian, one Eck blues chorus in four; models/README.md) and builds it into improv (one
# command; about two minutes of training on two cores, 120 epochs, the epoch with the lowest
# held-out loss kept). The model, its loss log and plot stay in models/.
default-model: release
	$(IMPROV_RELEASE) train --corpus mixed --choruses 1024 --seed 1 --epochs 120 --learning-rate 0.01 \
		--chord-blocks 4 --chord-cells 4 --melody-blocks 8 --melody-cells 4 --out models/default.safetensors
	rm -rf models/default.checkpoints
	scripts/embed-model.sh models/default.safetensors
	$(SWIFT) build -c release --product improv

# Benchmarks (not tests): the model beside the PyTorch reference (bench/RESULTS.md), sizes up
# to 128+256 cells beside fused PyTorch at batch 32 (bench/RESULTS-speed.md), the
# engine's per-slice cost (bench/RESULTS-engine.md), rendering beside fluidsynth's own command
# line and the demo jam (bench/RESULTS-sound.md).
bench: deps
	python3 -c "import torch, safetensors, numpy" 2>/dev/null || python3 -m pip install -q torch safetensors numpy
	command -v fluidsynth >/dev/null || apt-get install -y -q fluidsynth
	python3 bench/run.py
	python3 bench/speed.py
	python3 bench/time-to-target.py --seeds 10 --limit 20 -- --size 8x2+8x2 --batch 2 --lr 0.02
	python3 bench/engine-bench.py
	python3 bench/render-bench.py
	$(SWIFT) run beat-bench --seeds 20 --write bench/RESULTS-tempo.md

# The man page, from the commands' own help (swift-argument-parser's generate-manual plugin).
man: release
	$(SWIFT) package generate-manual --configuration release
	@test -s $(MANPAGE)

# Installs the binary, the units, the sysusers file, the presets, the default model, the
# soundfont, the man page and bash/zsh/fish completions. Keeps an existing improv.conf.
install: release man
	install -D -m 755 $(IMPROV_RELEASE) $(DESTDIR)$(BINDIR)/improv
	install -d $(DESTDIR)$(DATADIR)/presets $(DESTDIR)$(DATADIR)/models $(DESTDIR)$(DATADIR)/soundfonts
	install -m 644 presets/*.toml presets/README.md $(DESTDIR)$(DATADIR)/presets/
	install -m 644 models/default.safetensors $(DESTDIR)$(DATADIR)/models/
	install -m 644 soundfonts/improv.sf2 soundfonts/README.md $(DESTDIR)$(DATADIR)/soundfonts/
	install -D -m 644 $(MANPAGE) $(DESTDIR)$(MANDIR)/improv.1
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	$(IMPROV_RELEASE) --generate-completion-script bash >$(DESTDIR)$(PREFIX)/share/bash-completion/completions/improv
	$(IMPROV_RELEASE) --generate-completion-script zsh >$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_improv
	$(IMPROV_RELEASE) --generate-completion-script fish >$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/improv.fish
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(USERUNITDIR)
	sed 's|/usr/local/|$(PREFIX)/|g' systemd/improv.service >$(DESTDIR)$(UNITDIR)/improv.service
	sed 's|/usr/local/|$(PREFIX)/|g' systemd/improv-user.service >$(DESTDIR)$(USERUNITDIR)/improv.service
	install -D -m 644 systemd/improv.sysusers $(DESTDIR)$(SYSUSERSDIR)/improv.conf
	test -e $(DESTDIR)$(SYSCONFDIR)/improv/improv.conf || \
		{ install -d $(DESTDIR)$(SYSCONFDIR)/improv && sed 's|/usr/local/|$(PREFIX)/|g' systemd/improv.conf >$(DESTDIR)$(SYSCONFDIR)/improv/improv.conf; }

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/improv $(DESTDIR)$(MANDIR)/improv.1 $(DESTDIR)$(UNITDIR)/improv.service \
		$(DESTDIR)$(USERUNITDIR)/improv.service $(DESTDIR)$(SYSUSERSDIR)/improv.conf \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/improv $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_improv \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/improv.fish
	rm -rf $(DESTDIR)$(DATADIR)
	@echo "kept $(SYSCONFDIR)/improv (your configuration)"

# Installs into a scratch folder and checks what a user and an admin rely on (Tests/install).
test-install: release man
	Tests/install/check-install.sh

