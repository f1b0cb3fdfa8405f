package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func digestOf(t *testing.T, p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestCatalogListsAllowedRefusedAndIncomplete(t *testing.T) {
	src := testModel(t)
	good, _ := os.ReadFile(src)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "stories.gguf"), good, 0o644)
	os.WriteFile(filepath.Join(dir, "copying.gguf"), good[:len(good)/2], 0o644)
	os.WriteFile(filepath.Join(dir, "junk.gguf"), []byte("not a model"), 0o644)
	os.WriteFile(filepath.Join(dir, ".hidden.gguf.part"), good, 0o644)
	allow := []string{}
	c := &Catalog{Dir: dir, Allowlist: func() []string { return allow }}
	if err := c.Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[string]Status{}
	for _, e := range c.List() {
		got[e.File] = e.Status
	}
	want := map[string]Status{"stories.gguf": Refused, "copying.gguf": Incomplete, "junk.gguf": Malformed}
	for f, s := range want {
		if got[f] != s {
			t.Errorf("%s: %s, want %s", f, got[f], s)
		}
	}
	if len(got) != 3 {
		t.Errorf("listed %v (hidden and partial files must not appear)", got)
	}
	// The allowlist applies live, without a rescan.
	allow = []string{digestOf(t, src)}
	for _, e := range c.List() {
		if e.File == "stories.gguf" && e.Status != Allowed {
			t.Fatalf("after allowing: %s", e.Status)
		}
	}
}

func TestWatchedFolderShowsCompleteFilesAndDropsRemovedOnes(t *testing.T) {
	src := testModel(t)
	good, _ := os.ReadFile(src)
	dir := t.TempDir()
	c := &Catalog{Dir: dir, Allowlist: func() []string { return []string{digestOf(t, src)} }}
	c.Scan(context.Background())
	changed := make(chan struct{}, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.Watch(ctx, func() { changed <- struct{}{} })
	status := func(name string) Status {
		for _, e := range c.List() {
			if e.File == name {
				return e.Status
			}
		}
		return ""
	}
	waitFor := func(name string, want Status) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for status(name) != want {
			select {
			case <-changed:
			case <-deadline:
				t.Fatalf("%s: %q, want %q", name, status(name), want)
			}
		}
	}
	// The watch starts asynchronously: write until it is seen.
	p := filepath.Join(dir, "m.gguf")
	for i := 0; status("m.gguf") == ""; i++ {
		os.WriteFile(p, good[:len(good)/3], 0o644)
		select {
		case <-changed:
		case <-time.After(time.Second): // longer than the debounce
		}
		if i > 10 {
			t.Fatal("the watcher never saw the file")
		}
	}
	waitFor("m.gguf", Incomplete)
	os.WriteFile(p, good, 0o644)
	waitFor("m.gguf", Allowed)
	// A model in use stays readable when IT removes it.
	m, err := Open(p, []string{digestOf(t, src)})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	os.Remove(p)
	waitFor("m.gguf", "")
	if b, err := os.ReadFile(m.LoadPath()); runtime.GOOS == "linux" && (err != nil || len(b) != len(good)) {
		t.Fatalf("the model in use is gone: %v", err)
	}
	// IT's templates: creating the folder, then a template in it, each tell the caller.
	drain := func() {
		for len(changed) > 0 {
			<-changed
		}
	}
	expectChange := func(what string) {
		t.Helper()
		select {
		case <-changed:
		case <-time.After(10 * time.Second):
			t.Fatalf("no change reported after %s", what)
		}
	}
	drain()
	os.Mkdir(c.TemplatesDir(), 0o755)
	expectChange("creating templates/")
	time.Sleep(400 * time.Millisecond)
	drain()
	os.WriteFile(filepath.Join(c.TemplatesDir(), "clinic.json"), []byte(`{"name":"clinic"}`), 0o644)
	expectChange("adding a template")
}

func TestOpenRefusesModelsOffTheAllowlist(t *testing.T) {
	src := testModel(t)
	if _, err := Open(src, nil); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("Open off the allowlist = %v", err)
	}
	m, err := Open(src, []string{digestOf(t, src)})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if runtime.GOOS == "linux" && !strings.HasPrefix(m.LoadPath(), "/proc/self/fd/") {
		t.Fatalf("LoadPath %s: the loader must read the verified handle", m.LoadPath())
	}
}

// TestPullResumesVerifiesAndOnlyThenPublishes: the first transfer is cut half way, the
// second resumes with a Range request; a wrong digest publishes nothing.
func TestPullResumesVerifiesAndOnlyThenPublishes(t *testing.T) {
	src := testModel(t)
	good, _ := os.ReadFile(src)
	var cut atomic.Bool
	cut.Store(true)
	var ranges atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Range") != "" {
			ranges.Add(1)
		}
		if cut.Swap(false) {
			w.Header().Set("Content-Length", "1185376")
			w.WriteHeader(200)
			w.Write(good[:len(good)/2])
			return // the connection ends short
		}
		http.ServeContent(w, r, "stories260K.gguf", time.Now(), strings.NewReader(string(good)))
	}))
	defer srv.Close()
	dir := t.TempDir()
	want := digestOf(t, src)
	if _, err := Pull(context.Background(), srv.Client(), srv.URL+"/m/stories260K.gguf", dir, want, nil); err == nil {
		t.Fatal("the cut transfer succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "stories260K.gguf")); err == nil {
		t.Fatal("a partial model was published")
	}
	p, err := Pull(context.Background(), srv.Client(), srv.URL+"/m/stories260K.gguf", dir, want, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ranges.Load() != 1 || digestOf(t, p) != want {
		t.Fatalf("resume: %d range requests, digest %s", ranges.Load(), digestOf(t, p))
	}
	// A wrong digest: nothing published, no .part left.
	dir2 := t.TempDir()
	if _, err := Pull(context.Background(), srv.Client(), srv.URL+"/m/stories260K.gguf", dir2, strings.Repeat("0", 64), nil); !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("wrong digest = %v", err)
	}
	if entries, _ := os.ReadDir(dir2); len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}

// TestAModelOthersCanWriteIsLoadedFromASealedCopy: after the check, overwriting a
// user-writable model in place changes nothing the loader can read.
func TestAModelOthersCanWriteIsLoadedFromASealedCopy(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("sealed copies are Linux's")
	}
	src := testModel(t)
	good, _ := os.ReadFile(src)
	p := filepath.Join(t.TempDir(), "m.gguf")
	os.WriteFile(p, good, 0o666)
	os.Chmod(p, 0o666) // writable by others: not trusted in place
	m, err := Open(p, []string{digestOf(t, src)})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	f, _ := os.OpenFile(p, os.O_WRONLY, 0)
	f.WriteAt([]byte("tampered"), 1000)
	f.Close()
	loaded, err := os.ReadFile(m.LoadPath())
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(loaded)
	if hex.EncodeToString(sum[:]) != m.SHA256 {
		t.Fatal("the loader would read bytes other than those verified")
	}
}

// TestPullSpeaksOnlyHTTPS: a plain http URL is refused before any request, and so is
// an https server's redirect to http.
func TestPullSpeaksOnlyHTTPS(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the plain server was asked")
	}))
	defer plain.Close()
	want := strings.Repeat("ab", 32)
	if _, err := Pull(context.Background(), plain.Client(), plain.URL+"/m.gguf", t.TempDir(), want, nil); err == nil || !strings.Contains(err.Error(), "https") {
		t.Fatalf("http URL: %v", err)
	}
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/m.gguf", http.StatusFound)
	}))
	defer tls.Close()
	dir := t.TempDir()
	if _, err := Pull(context.Background(), tls.Client(), tls.URL+"/m.gguf", dir, want, nil); err == nil || !strings.Contains(err.Error(), "only https") {
		t.Fatalf("redirect to http: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 1 {
		t.Fatalf("left behind: %v", entries)
	}
}
