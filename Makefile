# Front door. `make test` and `make run` do all set-up on a fresh Debian 12 machine.
BUILD ?= build
JOBS ?= $(shell nproc)
VIGIL_WERROR ?= OFF
VIGIL_BENCH ?= ON
# ON: ASan + UBSan build (CI's `make test` sets it, so unit and topology tests run sanitized
# without a second build); `make run` always builds normally.
VIGIL_SANITIZE ?= OFF
VIGIL_UNITY ?= OFF
PYTEST ?= /usr/bin/python3 -m pytest

.PHONY: all deps configure build unit topo fuzz test run clean

all: build

deps:
	scripts/install-deps

configure: deps
	cmake -S . -B $(BUILD) -G Ninja -DVIGIL_WERROR=$(VIGIL_WERROR) -DVIGIL_BENCH=$(VIGIL_BENCH) \
		-DVIGIL_SANITIZE=$(VIGIL_SANITIZE) -DVIGIL_UNITY=$(VIGIL_UNITY)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Short libFuzzer runs of every target (the long runs are in docs/reliability.md).
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(BUILD)-fuzz -G Ninja -DVIGIL_FUZZ=ON -DVIGIL_TESTS=OFF -DVIGIL_BENCH=OFF -DVIGIL_UNITY=$(VIGIL_UNITY)
	cmake --build $(BUILD)-fuzz -j $(JOBS) --target fuzzers
	scripts/run-fuzzers $(BUILD)-fuzz/fuzz 15

topo: build
	VIGIL_BUILD=$(abspath $(BUILD)) $(PYTEST) -q tests/topo

# All tests: unit tests (ctest), short fuzz runs, then topology tests (pytest's summary last).
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory fuzz
	VIGIL_BUILD=$(abspath $(BUILD)) $(PYTEST) -q tests/topo

# vigil's main job: the lab demo.
run: VIGIL_SANITIZE = OFF
run: build
	scripts/run-demo $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz
