package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vellumhealth/vellum/dictation/speechtest"
)

// TestTranscribeThroughTheCLI: a WAV file is heard as a dictation is, and every way
// it cannot be says what to do: a file that is no WAV, no speech model, and a model
// on the allowlist that sherpa-onnx cannot load (it aborts; the trial process takes
// the abort, the command an error).
func TestTranscribeThroughTheCLI(t *testing.T) {
	s := newSandbox(t)
	folder := filepath.Join(t.TempDir(), "models")
	os.MkdirAll(filepath.Join(folder, "speech"), 0o700)
	s.machinePolicy(map[string]any{"models_folder": folder})
	s.setup()
	wav := filepath.Join(t.TempDir(), "visit.wav")
	sp := speechtest.Make(t, t.TempDir(), speechtest.Sentences[:1], 300*time.Millisecond)
	os.WriteFile(wav, speechtest.WAV(sp.Samples), 0o600)

	notWAV := filepath.Join(t.TempDir(), "visit.txt")
	os.WriteFile(notWAV, []byte("typed, not spoken"), 0o600)
	if r := s.run("", "transcribe", notWAV); r.code != 1 || !strings.Contains(r.stderr, notWAV+": not a WAV file") {
		t.Fatalf("a text file: exit %d\n%s", r.code, r.stderr)
	}
	if r := s.run("", "transcribe", wav); r.code != 1 || !strings.Contains(r.stderr, "no speech model") || !strings.Contains(r.stderr, "hint:") {
		t.Fatalf("no speech model: exit %d\n%s", r.code, r.stderr)
	}
	var sums []string
	dir := filepath.Join(folder, "speech", "zipformer")
	os.MkdirAll(dir, 0o700)
	for _, f := range []string{"encoder.onnx", "decoder.onnx", "joiner.onnx", "tokens.txt"} {
		b := []byte("not a network: " + f)
		os.WriteFile(filepath.Join(dir, f), b, 0o600)
		sum := sha256.Sum256(b)
		sums = append(sums, hex.EncodeToString(sum[:]))
	}
	if out := s.ok("", "models", "speech").stdout; !strings.Contains(out, "zipformer") || !strings.Contains(out, "refused") {
		t.Fatalf("models speech, off the list:\n%s", out)
	}
	s.machinePolicy(map[string]any{"models_folder": folder, "model_allowlist": sums})
	var listed []map[string]any
	json.Unmarshal([]byte(s.ok("", "models", "speech", "--json").stdout), &listed)
	if len(listed) != 1 || listed[0]["status"] != "allowed" || listed[0]["kind"] != "transducer" {
		t.Fatalf("models speech --json: %v", listed)
	}
	r := s.run("", "transcribe", wav)
	if r.code != 1 || !strings.Contains(r.stderr, "cannot load the model in "+dir) || r.stdout != "" {
		t.Fatalf("a corrupt model on the list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, dump := range []string{"SIGABRT", "goroutine ", "rip "} {
		if strings.Contains(r.stderr, dump) {
			t.Fatalf("the abort's dump reached the user:\n%s", r.stderr)
		}
	}
}

// TestTheBundleLoadsItsSpeechLibrariesFromBesideItself: make build's bundle puts
// sherpa-onnx's libraries and the voice activity model beside the binary and makes
// that folder the binary's one run path: the Go module cache of the build machine,
// which a local user could create on a workstation, is not searched.
func TestTheBundleLoadsItsSpeechLibrariesFromBesideItself(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(vellumBin)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "vellum"), b, 0o755)
	bundle := exec.Command("../../scripts/bundle-speech.sh", dir)
	if out, err := bundle.CombinedOutput(); err != nil {
		t.Fatalf("bundle: %v\n%s", err, out)
	}
	for _, f := range []string{"libsherpa-onnx-c-api.so", "libonnxruntime.so", "silero_vad_v5.onnx"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the bundle lacks %s", f)
		}
	}
	out, err := exec.Command("readelf", "-d", filepath.Join(dir, "vellum")).Output()
	if err != nil {
		t.Fatal(err)
	}
	paths := regexp.MustCompile(`\((?:RUNPATH|RPATH)\)\s+Library (?:runpath|rpath): \[(.*)\]`).FindAllStringSubmatch(string(out), -1)
	if len(paths) != 1 || paths[0][1] != "$ORIGIN" {
		t.Fatalf("run paths %v, want [$ORIGIN] alone", paths)
	}
	ldd := exec.Command("ldd", filepath.Join(dir, "vellum"))
	ldd.Env = []string{"PATH=" + os.Getenv("PATH")} // no LD_LIBRARY_PATH
	out, err = ldd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, lib := range []string{"libsherpa-onnx-c-api.so", "libonnxruntime.so"} {
		if !strings.Contains(string(out), lib+" => "+filepath.Join(dir, lib)) {
			t.Errorf("%s is not loaded from the bundle:\n%s", lib, out)
		}
	}
	version := exec.Command(filepath.Join(dir, "vellum"), "version")
	version.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	if out, err := version.CombinedOutput(); err != nil {
		t.Fatalf("the bundled binary does not start: %v\n%s", err, out)
	}
}

// TestSpeechLibrariesShareNoSymbolWithTheStaticOnes: sherpa-onnx's libraries define
// no symbol that llama.cpp, ggml or SQLite3MultipleCiphers (linked statically) do,
// but the C++ library's own template instances, which are the same code.
func TestSpeechLibrariesShareNoSymbolWithTheStaticOnes(t *testing.T) {
	llama, sqlite := os.Getenv("VELLUM_LLAMA"), os.Getenv("VELLUM_SQLITE3MC")
	if llama == "" {
		t.Skip("VELLUM_LLAMA is not set (make test sets it)")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/k2-fsa/sherpa-onnx-go-linux").Output()
	if err != nil {
		t.Fatal(err)
	}
	shared, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "lib", "x86_64-unknown-linux-gnu", "*.so"))
	static, _ := filepath.Glob(filepath.Join(llama, "lib", "*.a"))
	if sqlite != "" {
		more, _ := filepath.Glob(filepath.Join(sqlite, "lib", "*.a"))
		static = append(static, more...)
	}
	if len(shared) == 0 || len(static) == 0 {
		t.Fatalf("libraries: shared %v, static %v", shared, static)
	}
	line := regexp.MustCompile(`^[0-9a-f]+ ([A-Za-z]) (.*)$`)
	defined := func(args ...string) map[string]bool {
		out, err := exec.Command("nm", append([]string{"-C", "--defined-only"}, args...)...).Output()
		if err != nil {
			t.Fatalf("nm %v: %v", args, err)
		}
		m := map[string]bool{}
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if f := line.FindStringSubmatch(sc.Text()); f != nil && f[1] != "A" {
				m[strings.SplitN(f[2], "@", 2)[0]] = true
			}
		}
		return m
	}
	theirs := defined(append([]string{"-D"}, shared...)...)
	ours := defined(append([]string{"-g"}, static...)...)
	// The C++ standard library's templates are instanced in every object that uses
	// them, weak and identical.
	std := regexp.MustCompile(`^(typeinfo for |typeinfo name for |vtable for |VTT for |guard variable for )?(std::|__gnu_cxx::)`)
	var clash []string
	for s := range theirs {
		if ours[s] && !std.MatchString(s) {
			clash = append(clash, s)
		}
	}
	slices.Sort(clash)
	if len(clash) > 0 {
		t.Fatalf("sherpa-onnx defines %d symbols the static libraries do too: %v", len(clash), clash[:min(20, len(clash))])
	}
	t.Logf("%d symbols of sherpa-onnx, %d of llama.cpp, ggml and SQLite: none shared but the C++ library's", len(theirs), len(ours))
}
