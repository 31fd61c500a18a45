# Front door. `make demo` runs the seed scenario; `make check` builds and runs every test.
# Both install the Debian packages they need first (scripts/install-deps.sh, idempotent).
JOBS ?= $(shell nproc)
PREFIX ?= /usr/local
CHECK_DIR := build/check
RELEASE_DIR := build/release

.PHONY: all deps build release check unit demo bench install clean

all: release

deps:
	@scripts/install-deps.sh

$(CHECK_DIR)/build.ninja:
	@cmake -S . -B $(CHECK_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DOVNX_SANITIZE=ON \
	  -DOVNX_WERROR=ON -DOVNX_BENCH=OFF -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" >/dev/null

$(RELEASE_DIR)/build.ninja:
	@cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: deps $(CHECK_DIR)/build.ninja
	@cmake --build $(CHECK_DIR) -j $(JOBS)

release: deps $(RELEASE_DIR)/build.ninja
	@cmake --build $(RELEASE_DIR) -j $(JOBS)

# Every test: unit (sanitized), interop against the real OVS/OVN tools, end to end in namespaces.
check: build
	@cd $(CHECK_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

unit: build
	@cd $(CHECK_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

# The seed scenario: central and two hypervisors in namespaces (DEMO_ARGS=--keep keeps it up).
demo: release
	@scripts/demo.sh $(DEMO_ARGS) $(RELEASE_DIR)/bin

# Side-by-side benchmarks against the real OVN components, reported as ratios.
bench: release
	@scripts/bench.sh $(RELEASE_DIR)

# Binaries, ovnx-ctl, schemas (share/ovnx), systemd units, their /etc/default files, man pages
# and docs under PREFIX (default /usr/local), staged under DESTDIR if set. The units name the
# final PREFIX, so the release tree is reconfigured with it first.
install: release
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS)
	@DESTDIR=$(DESTDIR) cmake --install $(RELEASE_DIR)

clean:
	rm -rf build
