package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// ErrNotAllowed: the model's digest is not on the allowlist.
var ErrNotAllowed = errors.New("the model is not on the allowlist")

// Status is a model's standing in the catalog.
type Status string

const (
	Allowed    Status = "allowed"
	Refused    Status = "refused"    // valid, but not on the allowlist
	Incomplete Status = "incomplete" // truncated: still being copied, or cut short
	Malformed  Status = "malformed"
)

// Entry is one file of the models folder.
type Entry struct {
	File    string    `json:"file"`
	Size    int64     `json:"size"`
	SHA256  string    `json:"sha256,omitempty"`
	Status  Status    `json:"status"`
	Reason  string    `json:"reason,omitempty"`
	Header  *Header   `json:"-"`
	ModTime time.Time `json:"-"`
}

// Catalog is the managed models folder IT fills.
type Catalog struct {
	Dir string
	// Allowlist returns the SHA-256 digests (lower-case hex) policy allows now.
	Allowlist func() []string

	mu          sync.Mutex
	entries     map[string]Entry
	speech      []SpeechModel
	speechFiles map[string]speechFile // by path under speech/
}

func isModelFile(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".gguf") && !strings.HasPrefix(name, ".")
}

// Scan brings the catalog up to date with the folder, speech models included: new or
// changed files are read and hashed, removed ones dropped. Unchanged files (same size
// and time) are not re-hashed.
func (c *Catalog) Scan(ctx context.Context) error {
	des, err := os.ReadDir(c.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		des = nil
	} else if err != nil {
		return fmt.Errorf("models folder %s: %w", c.Dir, err)
	}
	c.mu.Lock()
	old := c.entries
	c.mu.Unlock()
	next := map[string]Entry{}
	for _, de := range des {
		if de.IsDir() || !isModelFile(de.Name()) {
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue
		}
		if e, ok := old[de.Name()]; ok && e.Size == info.Size() && e.ModTime.Equal(info.ModTime()) && e.Status != Incomplete {
			next[de.Name()] = e
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		next[de.Name()] = c.inspect(de.Name(), info)
	}
	c.mu.Lock()
	c.entries = next
	c.mu.Unlock()
	return c.scanSpeech(ctx)
}

func (c *Catalog) inspect(name string, info fs.FileInfo) Entry {
	e := Entry{File: name, Size: info.Size(), ModTime: info.ModTime()}
	f, err := openRegular(filepath.Join(c.Dir, name))
	if err != nil {
		e.Status, e.Reason = Malformed, err.Error()
		return e
	}
	defer f.Close()
	h, sum, err := readAndHash(f, info.Size())
	var fe *FormatError
	switch {
	case err != nil && errors.As(err, &fe) && fe.Truncated:
		e.Status, e.Reason = Incomplete, err.Error()
		return e
	case err != nil:
		e.Status, e.Reason = Malformed, err.Error()
		return e
	}
	e.Header, e.SHA256 = h, sum
	if c.allowed(sum) {
		e.Status = Allowed
	} else {
		e.Status, e.Reason = Refused, "its SHA-256 is not on the allowlist (policy model_allowlist)"
	}
	return e
}

func (c *Catalog) allowed(sum string) bool {
	return c.Allowlist != nil && slices.Contains(c.Allowlist(), sum)
}

// readAndHash reads the header and hashes the whole file through one handle.
func readAndHash(f *os.File, size int64) (*Header, string, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, "", err
	}
	h, err := ReadHeader(f, size)
	if err != nil {
		return nil, "", err
	}
	sum, err := hashFrom(f)
	return h, sum, err
}

// hashFrom hashes all of f, from its start.
func hashFrom(f *os.File) (string, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(sum.Sum(nil)), nil
}

// List returns the catalog, by file name, with each entry's status recomputed against
// the allowlist in force now.
func (c *Catalog) List() []Entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Entry, 0, len(c.entries))
	for _, e := range c.entries {
		if e.SHA256 != "" {
			if c.allowed(e.SHA256) {
				e.Status, e.Reason = Allowed, ""
			} else {
				e.Status, e.Reason = Refused, "its SHA-256 is not on the allowlist (policy model_allowlist)"
			}
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// Watch rescans whenever the folder changes (debounced: a copy is many writes) until
// ctx ends, calling changed after each rescan. A file appears once complete and
// verified; a removed one disappears (a model already open stays readable). Changes
// to IT's note templates in the templates/ subfolder (TemplatesDir) call changed too:
// the caller reloads them.
func (c *Catalog) Watch(ctx context.Context, changed func()) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Add(c.Dir); err != nil {
		return fmt.Errorf("watch models folder %s: %w", c.Dir, err)
	}
	templates := c.TemplatesDir()
	w.Add(templates) // absent until IT adds templates; its creation is seen below
	// Speech models are folders under speech/: the folder and each model's are
	// watched, those made later as they appear.
	speech := filepath.Join(c.Dir, SpeechDir)
	watchSpeech := func() {
		w.Add(speech)
		des, _ := os.ReadDir(speech)
		for _, de := range des {
			if de.IsDir() {
				w.Add(filepath.Join(speech, de.Name()))
			}
		}
	}
	watchSpeech()
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			switch {
			case ev.Name == templates:
				if ev.Has(fsnotify.Create) {
					w.Add(templates)
				}
				debounce.Reset(300 * time.Millisecond)
			case ev.Name == speech || filepath.Dir(ev.Name) == speech || filepath.Dir(filepath.Dir(ev.Name)) == speech:
				if ev.Has(fsnotify.Create) {
					watchSpeech()
				}
				debounce.Reset(300 * time.Millisecond)
			case filepath.Dir(ev.Name) == templates && filepath.Ext(ev.Name) == ".json",
				isModelFile(filepath.Base(ev.Name)):
				debounce.Reset(300 * time.Millisecond)
			}
		case <-w.Errors:
		case <-debounce.C:
			if err := c.Scan(ctx); err == nil && changed != nil {
				changed()
			}
		}
	}
}

// TemplatesDir is where IT puts its own note templates (llm.Templates reads them).
func (c *Catalog) TemplatesDir() string { return filepath.Join(c.Dir, "templates") }

// Model is a model file opened for loading: verified through the handle that stays
// open, so the bytes the loader reads are the bytes that were hashed.
type Model struct {
	// Path is the file opened; File may be a sealed copy of it.
	Path   string
	File   *os.File
	SHA256 string
	Header *Header
}

// Open opens a GGUF model at path, hashes it through the open handle, and refuses it
// unless its digest is in allowed. Every load path — the managed folder, `--model
// FILE` — goes through it. On Linux a file that anyone but root could change is first
// copied into a sealed memory file, so that the bytes hashed are the bytes loaded, for
// as long as loaded.
func Open(path string, allowed []string) (*Model, error) {
	return open(path, allowed, true)
}

// OpenFile is Open for a model file of another format (a speech model's ONNX
// networks and tokens): verified and sealed the same way, its header not read.
func OpenFile(path string, allowed []string) (*Model, error) {
	return open(path, allowed, false)
}

func open(path string, allowed []string, gguf bool) (*Model, error) {
	orig, err := openRegular(path)
	if err != nil {
		return nil, fmt.Errorf("open model: %w", err)
	}
	f, err := seal(orig, path)
	if err != nil {
		orig.Close()
		return nil, err
	}
	if f != orig {
		orig.Close()
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	var h *Header
	var sum string
	if gguf {
		h, sum, err = readAndHash(f, st.Size())
	} else {
		sum, err = hashFrom(f)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("model %s: %w", filepath.Base(path), err)
	}
	if !slices.Contains(allowed, sum) {
		f.Close()
		return nil, fmt.Errorf("model %s (SHA-256 %s): %w", filepath.Base(path), sum, ErrNotAllowed)
	}
	return &Model{Path: path, File: f, SHA256: sum, Header: h}, nil
}

// LoadPath is the path a loader should open: on Linux the verified handle itself
// (/proc/self/fd/N: a root-only file, or a sealed copy); elsewhere the file's path,
// whose folder must then be writable by administrators only (the managed folder is).
func (m *Model) LoadPath() string {
	if runtime.GOOS == "linux" {
		return fmt.Sprintf("/proc/self/fd/%d", m.File.Fd())
	}
	return m.File.Name()
}

// Close releases the model.
func (m *Model) Close() error { return m.File.Close() }
