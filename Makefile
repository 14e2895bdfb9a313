# Front door. `make test` and `make run` do all set-up on a fresh Debian 12 machine.
BUILD ?= build
JOBS ?= $(shell nproc)
VIGIL_WERROR ?= OFF
VIGIL_BENCH ?= ON
# ON: gcc ASan + UBSan build for `make build`/`unit`/`topo` by hand; `make run` always builds
# normally. `make test` has its own build (TEST_BUILD, below), always sanitized.
VIGIL_SANITIZE ?= OFF
# `make test` (CI): one clang build with ASan + UBSan and libFuzzer's coverage instrumentation
# serves the unit tests, the fuzz targets and the topology tests' vigild and vigilctl, so every
# test runs sanitized and the sources are compiled once.
TEST_BUILD ?= build-test
VIGIL_UNITY ?= OFF
PYTEST ?= /usr/bin/python3 -m pytest

.PHONY: all deps configure build unit topo fuzz test-build test run clean

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

test-build: deps
	CC=clang CXX=clang++ cmake -S . -B $(TEST_BUILD) -G Ninja -DVIGIL_WERROR=$(VIGIL_WERROR) \
		-DVIGIL_BENCH=OFF -DVIGIL_SANITIZE=ON -DVIGIL_FUZZ=ON -DVIGIL_UNITY=$(VIGIL_UNITY)
	cmake --build $(TEST_BUILD) -j $(JOBS)

# All tests, sanitized: unit tests (gtest shards), short fuzz runs, then topology tests (pytest's
# summary last).
test: test-build
	scripts/run-unit-tests $(TEST_BUILD) $(JOBS)
	scripts/run-fuzzers $(TEST_BUILD)/fuzz 15
	VIGIL_BUILD=$(abspath $(TEST_BUILD)) $(PYTEST) -q tests/topo

# vigil's main job: the lab demo.
run: VIGIL_SANITIZE = OFF
run: build
	scripts/run-demo $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD)-fuzz $(TEST_BUILD)
