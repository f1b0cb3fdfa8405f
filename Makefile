# Vellum's build. `make run` and `make test` work on a fresh Debian/Ubuntu machine: both
# call `make deps`, which installs what is missing and builds the pinned native libraries
# once into ~/.cache/vellum/ (see native/ and DESIGN notes in README.md).
SHELL := bash
GO ?= go

SQLITE3MC := $(shell scripts/native-build.sh --prefix-only sqlite3mc)
LLAMA := $(shell VELLUM_GPU=$(GPU) VELLUM_CUDA_ARCHS='$(CUDA_ARCHS)' scripts/native-build.sh --prefix-only llama.cpp)
# llama.cpp cross-built for Windows (make deps): llm/llamacpp's tests run it on Wine.
export VELLUM_LLAMA_WINDOWS := $(shell VELLUM_TARGET=windows-amd64 scripts/native-build.sh --prefix-only llama.cpp)
# The FHIR R4 JSON Schema that exported DocumentReferences are validated against (tests only).
export VELLUM_FHIR_SCHEMA := $(shell scripts/native-build.sh --prefix-only fhir-r4-schema)/fhir.schema.json
# The Silero voice activity model dictation runs (pinned; fetched by make deps).
export VELLUM_VAD_MODEL := $(shell scripts/native-build.sh --prefix-only silero-vad)/silero_vad_v5.onnx

# The vault links SQLite3MultipleCiphers statically: go-sqlite3's `libsqlite3` tag makes
# it use the library found through these flags instead of its own plaintext amalgamation.
export CGO_ENABLED := 1
export CGO_CFLAGS := -O2 -I$(SQLITE3MC)/include -I$(LLAMA)/include
export CGO_LDFLAGS := -L$(SQLITE3MC)/lib -L$(LLAMA)/lib -lm
export VELLUM_LLAMA := $(LLAMA)
export VELLUM_SQLITE3MC := $(SQLITE3MC)
# The real trained test model sits in shared/ beside the checkout (CI clones it so).
VELLUM_TEST_MODEL ?= $(wildcard $(abspath ../shared/models/stories260K.gguf))
export VELLUM_TEST_MODEL
TAGS := libsqlite3,llamacpp
# GPU=cuda: llama.cpp's CUDA variant and the binding's CUDA link line (tag cuda), against
# the toolkit in CUDA_HOME (its stubs stand in for the driver library at link time).
# CUDA_ARCHS (say 90, or "86;89") builds for those GPU generations only, much sooner.
ifeq ($(GPU),cuda)
CUDA_HOME ?= /usr/local/cuda
TAGS := $(TAGS),cuda
CGO_LDFLAGS += -L$(CUDA_HOME)/lib64 -L$(CUDA_HOME)/lib64/stubs
endif
# Every go command builds with -trimpath (the release flag), so that build, vet, the
# tests and the binary the integration tests build share one cache: Fyne's GL driver
# and llama.cpp's binding compile once, not once per flag set.
export GOFLAGS := -trimpath
GOFLAGS_BUILD := -tags=$(TAGS)

COMMANDS := vellum vellum-collector

.PHONY: all deps build run test test-go bench fuzz vet windows msi macos-pkg packages llama gpu-prepare policy-templates clean help

all: build

help:
	@echo "make run     install what is missing, build, run the demo session"
	@echo "make test    install what is missing, build, run every test"
	@echo "make bench   vault, audit, collector, inference, dictation and de-identification speed against their references"
	@echo "make fuzz    fuzz the parsers of untrusted input (FUZZTIME=30s each)"
	@echo "make build   bin/vellum"
	@echo "make windows cross-build bin/windows-amd64/vellum.exe with inference, its speech DLLs beside it (MinGW-w64, make deps installs it)"
	@echo "make packages   bin/*.deb and bin/*.rpm of vellum and vellum-collector, each with its SBOM"
	@echo "make msi    bin/windows-amd64/vellum.msi (wixl) from make windows"
	@echo "make macos-pkg   bin/Vellum-*.pkg, signed and notarized, on a macOS builder (scripts/package-macos.sh)"
	@echo "make llama   build llama.cpp into the cache (GPU=cuda for CUDA)"
	@echo "make policy-templates   write packaging/'s ADMX, ADML and .mobileconfig from policy/settings.go"
	@echo "make gpu-prepare CUDA_ARCHS=90   ready .gpu/ for a lent GPU machine (scripts/gpu-check.sh)"

deps:
	@scripts/deps.sh

# Dictation's shared libraries and voice activity model go beside the binary, which
# looks for libraries there alone (scripts/bundle-speech.sh).
build: deps
	@mkdir -p bin
	$(GO) build $(GOFLAGS_BUILD) -o bin/ $(addprefix ./cmd/,$(COMMANDS))
	@scripts/bundle-speech.sh bin

run: build
	@scripts/demo.sh bin/vellum

# The Windows-only code that builds without cgo is vetted for Windows too.
vet: deps
	$(GO) vet -tags=$(TAGS) ./...
	GOOS=windows CGO_ENABLED=0 $(GO) vet ./ui/clipboard ./ui/textscale ./policy ./models ./dictation ./dictation/hotkey

# Every test runs against a real gnome-keyring in a private D-Bus session, and the
# collector's against a real PostgreSQL (Debian's package) as well as SQLite.
test: build vet
	@scripts/with-postgres.sh scripts/with-keyring.sh $(MAKE) --no-print-directory test-go

# The race detector runs on the packages without cgo of their own, except the commands:
# their tests drive the real binaries in other processes, and instrumenting the test
# process would only add the compile time of every cgo dependency.
test-go:
	$(GO) test -tags=$(TAGS) -count=1 ./...
	$(GO) test -tags=$(TAGS) -count=1 -race $$($(GO) list -tags=$(TAGS) -f '{{if not .CgoFiles}}{{.ImportPath}}{{end}}' ./... | grep -v /cmd/)

bench: build
	@scripts/with-postgres.sh scripts/with-keyring.sh $(GO) test -tags=$(TAGS) -run '^$$' -bench . -benchtime 1x -timeout 30m ./vault/ ./audit/ ./sync/collector/ ./llm/ ./llm/llamacpp/ ./dictation/sherpa/ ./dictation/capture/ ./phi/ ./cmd/vellum/

# Fuzz each parser of untrusted input for FUZZTIME; new finds land in the Go cache,
# failures in testdata/fuzz. The vault's targets run one worker: their workers share
# one keyring session.
FUZZTIME ?= 30s
FUZZ_TARGETS := vault:FuzzSearch vault:FuzzRestorePayload audit:FuzzDecode sync/collector:FuzzIngest policy:FuzzParseJSON models:FuzzReadHeader models/synth:FuzzReadMetadata llm:FuzzGround dictation:FuzzReadWAV phi:FuzzFind
fuzz: build
	@for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; f=$${t##*:}; \
	  par=""; [ $$pkg = vault ] && par="-parallel 1"; \
	  scripts/with-keyring.sh $(GO) test -tags=$(TAGS) -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$par ./$$pkg/ || exit 1; \
	done

# llama.cpp + ggml (static) and llama-bench/llama-simple/llama-quantize from the same
# tree; GPU=cuda (or metal) builds that variant. About 7 minutes on 2 cores, once per
# version; `make deps` runs it. (make windows cross-builds the libraries alone.)
llama:
	@VELLUM_GPU=$(GPU) VELLUM_CUDA_ARCHS='$(CUDA_ARCHS)' scripts/native-build.sh llama.cpp

# The CUDA tests and benchmark on a lent GPU machine, which has no Go: this half compiles
# here and leaves the final link for there (scripts/gpu-check.sh says how to run it).
gpu-prepare: deps
	@scripts/gpu-check.sh prepare '$(or $(CUDA_ARCHS),90)'

# vellum.exe with inference: llama.cpp cross-built with MinGW-w64 into its own cache
# directory (about 2.5 minutes on 2 cores, once), linked statically, with its icon and
# version information: vellum.exe for the command line (a console program: shells
# wait for it and see its exit status) and vellum-desktop.exe, the same program
# linked as a GUI one (-H windowsgui: no console window), for the Start Menu and
# launch at login. About 14 minutes cold in all
# (the cgo packages compile for MinGW's POSIX-thread compiler), which make test does
# not spend; packaging/windows's tests run it on Wine where it has been built.
windows:
	@command -v x86_64-w64-mingw32-gcc-posix >/dev/null || { echo "install gcc-mingw-w64-x86-64-posix and g++-mingw-w64-x86-64-posix first (make deps)"; exit 1; }
	@VELLUM_TARGET=windows-amd64 CC=x86_64-w64-mingw32-gcc AR=x86_64-w64-mingw32-ar scripts/native-build.sh sqlite3mc >/dev/null
	@VELLUM_TARGET=windows-amd64 scripts/native-build.sh llama.cpp >/dev/null
	@mkdir -p bin/windows-amd64
	@trap 'rm -f cmd/vellum/zz_resource_windows_amd64.syso' EXIT; \
	scripts/windows-resource.sh cmd/vellum/zz_resource_windows_amd64.syso && \
	for exe in vellum:-H=windows vellum-desktop:-H=windowsgui; do \
	  echo "go build $${exe%%:*}.exe ($${exe#*:})"; \
	  GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc-posix CXX=x86_64-w64-mingw32-g++-posix \
	  CGO_CFLAGS="-O2 -I$(SQLITE3MC)-windows-amd64/include -I$(VELLUM_LLAMA_WINDOWS)/include" \
	  CGO_LDFLAGS="-L$(SQLITE3MC)-windows-amd64/lib -L$(VELLUM_LLAMA_WINDOWS)/lib" \
	  $(GO) build -tags=libsqlite3,llamacpp -trimpath -ldflags=$${exe#*:} -o bin/windows-amd64/$${exe%%:*}.exe ./cmd/vellum || exit 1; \
	done
	GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc-posix \
	CGO_CFLAGS="-O2 -I$(SQLITE3MC)-windows-amd64/include" CGO_LDFLAGS="-L$(SQLITE3MC)-windows-amd64/lib" \
	$(GO) build -tags=libsqlite3 -trimpath -o bin/windows-amd64/ ./cmd/vellum-collector
	@scripts/bundle-speech.sh bin/windows-amd64 windows-amd64

# The MSI (wixl, from msitools), per-machine, from the cross-build; its test in
# packaging/windows installs, upgrades and removes it on Wine. Sign it and vellum.exe
# with scripts/sign-windows.sh where the hospital's certificate is.
MSI_VERSION = $(shell sed -n 's/^Version *= *"\([0-9]*\.[0-9]*\)\..*"/\1/p' FyneApp.toml).$(shell git rev-list --count HEAD 2>/dev/null || echo 0)
msi: windows
	@command -v wixl >/dev/null || { echo "install wixl (apt install wixl msitools) first"; exit 1; }
	wixl -a x64 -D Version=$(MSI_VERSION) -D Bin=bin/windows-amd64 -o bin/windows-amd64/vellum.msi packaging/windows/vellum.wxs

# Vellum.pkg on a macOS builder: app bundle, hardened runtime, notarized (the signing
# identities and notary profile from the environment; UNSIGNED=1 to look only). Not run
# here: packaging/macos's tests check the script and its plists.
macos-pkg:
	@scripts/package-macos.sh bin

# The deb and rpm packages (nfpm), each with a CycloneDX bill of materials; the test in
# packaging/linux builds them too, and installs and runs them in a fresh root.
packages: build
	@scripts/package-linux.sh

# Group Policy templates and the macOS configuration profile, from the settings'
# definitions; a test fails while the kept files differ from what they make.
policy-templates:
	$(GO) test ./packaging/policytemplates -run TestTheKeptFilesAreWhatTheSettingsMake -update

clean:
	rm -rf bin
