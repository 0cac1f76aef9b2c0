# improv: the two commands of the README, and the pieces they are made of.
SWIFT ?= swift
OUT ?= out
IMPROV_RELEASE = .build/release/improv

.PHONY: all deps build release demo test test-swift clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product improv

# The main job on embedded defaults: write a few blues choruses and show one.
demo: release
	$(IMPROV_RELEASE) corpus --out $(OUT)/corpus --count 4 --seed 1
	$(IMPROV_RELEASE) inspect $$(ls $(OUT)/corpus/*.mid | head -n 1)

# Every test: installs what is missing, builds, runs the Swift test suite
# (which includes the mido cross-checks).
test: deps test-swift

test-swift:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build $(OUT)
