# vingt — build, run the embedded example, test, benchmark.
GO      ?= go
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN     := bin/vingt
FUZZTIME ?= 20s

.PHONY: deps build run test bench fuzz clean

# deps installs the C libraries (GEOS, PROJ) and pkg-config with apt-get,
# only when pkg-config cannot find them, and chromium when it is missing.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists geos proj; then \
		echo "installing libgeos-dev libproj-dev pkg-config" >&2; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libgeos-dev libproj-dev pkg-config; \
	fi
	@# chromium for the report's browser tests (they skip without it).
	@if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then \
		echo "installing chromium" >&2; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium || \
		echo "chromium not installed: the report's browser tests will skip" >&2; \
	fi

build: deps
	$(GO) build -o $(BIN) ./cmd/vingt

# run runs the main job on the embedded example into ./vingt-out.
run: build
	./$(BIN) run

test: deps
	$(GO) vet ./...
	$(GO) test ./...
	$(GO) test -race -short ./coverage/... ./cmd/...

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1x -count 1 ./... | tee bench.txt

fuzz: deps
	@for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$f" >&2; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

clean:
	rm -rf bin vingt-out
