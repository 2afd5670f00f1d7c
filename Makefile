# The two commands of the README. Both install what they need (as root on
# Debian 12) and are fast when it is already there.
PORT ?= 8080
SANITIZE ?=

.PHONY: run test build clean bench

run:
	PORT=$(PORT) bash scripts/run.sh

test:
	SANITIZE=$(SANITIZE) bash scripts/test.sh

build:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j$$(nproc)

# The benchmarks (bench/run.sh: QR renderer, contact store, HTTP with wrk; results in
# docs/PERFORMANCE.md). Not part of `make test`; ~40 minutes with the 1M sets (2 cores).
bench:
	bash bench/run.sh

clean:
	rm -rf build
