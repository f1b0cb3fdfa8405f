//go:build llamacpp

package llamacpp

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/internal/wine"
	"github.com/vellumhealth/vellum/llm"
)

// greedyStory is the continuation both builds are held to.
func greedyStory(t *testing.T) string {
	e := load(t)
	var got strings.Builder
	if _, err := e.Generate(context.Background(), "Once upon a time", llm.Sampling{MaxTokens: 40},
		func(p string) error { got.WriteString(p); return nil }); err != nil {
		t.Fatal(err)
	}
	return got.String()
}

// TestGreedyChild prints the greedy continuation for TestTheWindowsBuildWritesTheSameTokens,
// which runs it in the Windows build on Wine.
func TestGreedyChild(t *testing.T) {
	if os.Getenv("VELLUM_GREEDY_CHILD") != "1" {
		t.Skip("run by TestTheWindowsBuildWritesTheSameTokens")
	}
	fmt.Printf("GREEDY %s\n", strconv.Quote(greedyStory(t)))
}

var greedyLine = regexp.MustCompile(`(?m)^GREEDY (".*")\r?$`)

// TestTheWindowsBuildWritesTheSameTokens: this package cross-built for Windows (the
// llama.cpp of make windows: MinGW-w64, static, ggml's thread pool) runs on Wine, in a
// fresh prefix, and writes token for token the greedy continuation this Linux build
// writes on the test model, with the same SIMD baseline (AVX2, FMA: a cross build of
// ggml turns them off unless named); a SOAP draft runs through it whole. It is what make test
// proves of Windows inference (vellum.exe itself is packaging/windows's test, where
// make windows has run).
func TestTheWindowsBuildWritesTheSameTokens(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("cross-builds from Linux")
	}
	prefix := os.Getenv("VELLUM_LLAMA_WINDOWS")
	cc, ccErr := exec.LookPath("x86_64-w64-mingw32-gcc-posix")
	if _, err := os.Stat(filepath.Join(prefix, ".complete")); prefix == "" || err != nil || ccErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the Windows llama.cpp (VELLUM_LLAMA_WINDOWS=%q) or MinGW's POSIX compiler is missing: make deps builds them", prefix)
		}
		t.Skipf("the Windows llama.cpp (VELLUM_LLAMA_WINDOWS=%q) or MinGW's POSIX compiler is missing: make deps builds them", prefix)
	}
	model, err := filepath.Abs(testModel(t))
	if err != nil {
		t.Fatal(err)
	}
	want := greedyStory(t)

	winecmd, env := wine.Prefix(t)
	exe := filepath.Join(t.TempDir(), "llamacpp.test.exe")
	build := exec.Command("go", "test", "-c", "-tags", "llamacpp", "-o", exe, ".")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=1", "CC="+cc, "CXX="+strings.Replace(cc, "gcc", "g++", 1),
		"CGO_CFLAGS=-O2 -I"+filepath.Join(prefix, "include"), "CGO_LDFLAGS=-L"+filepath.Join(prefix, "lib"))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("cross-building the Windows test binary: %v\n%s", err, out)
	}
	// Wine's Z: drive is the Linux root.
	winModel := "Z:" + strings.ReplaceAll(model, "/", `\`)
	out := wine.Command(t, append(env, "VELLUM_TEST_MODEL="+winModel, "VELLUM_GREEDY_CHILD=1"), winecmd, exe,
		"-test.run", "^(TestGreedyChild|TestDraftingRunsOnTheRealEngine|TestBuildUsesSIMD)$", "-test.v")
	if !strings.Contains(out, "--- PASS: TestGreedyChild") || !strings.Contains(out, "--- PASS: TestDraftingRunsOnTheRealEngine") ||
		!strings.Contains(out, "--- PASS: TestBuildUsesSIMD") {
		t.Fatalf("the Windows build on Wine:\n%s", out)
	}
	m := greedyLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no greedy continuation from the Windows build:\n%s", out)
	}
	got, err := strconv.Unquote(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("the Windows build writes differently:\n windows: %q\n linux:   %q", got, want)
	}
	t.Logf("the Windows build on Wine wrote the same %d bytes: %q", len(got), got)
}
