package policy

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Change is a reload that changed the effective policy.
type Change struct {
	Old, New Snapshot
	Keys     []Key
}

// Watcher keeps the effective policy current. Each source keeps its last good values:
// a malformed file is reported and ignored until it is fixed, and a setting it locked
// stays locked meanwhile.
type Watcher struct {
	src Sources

	// OnChange and OnError are called from the watching goroutine; set them before
	// Run. OnChange gets every reload that changed a value or an origin (the caller
	// records it in the audit log); OnError every source that failed to load.
	OnChange func(Change)
	OnError  func(error)

	// PollEvery is how often every source is read again, for what cannot be watched
	// (registry, managed preferences, a folder that did not exist at start); zero
	// means 30 seconds.
	PollEvery time.Duration

	mu   sync.Mutex
	last map[string]Layer // last good layer by source name
	snap Snapshot
	// reported holds the errors already passed to OnError, so that a file that stays
	// broken is reported once, not at every reload.
	reported [2]string
}

// NewWatcher loads the policy. A malformed machine-level source at start is an error:
// there is no last good policy to fall back to.
func NewWatcher(src Sources) (*Watcher, error) {
	w := &Watcher{src: src, last: map[string]Layer{}}
	layers, machineErr, _ := src.Load()
	if machineErr != nil {
		return nil, machineErr
	}
	for _, l := range layers {
		w.last[l.Source] = l
	}
	w.snap = Merge(layers...)
	return w, nil
}

// Current is the effective policy now.
func (w *Watcher) Current() Snapshot {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.snap
}

// Reload reads every source again and applies what loaded cleanly.
func (w *Watcher) Reload() {
	layers, machineErr, userErr := w.src.Load()
	w.mu.Lock()
	present := map[string]bool{}
	for _, l := range layers {
		w.last[l.Source] = l
		present[l.Source] = true
	}
	// A source that loaded cleanly and is gone (file removed, registry key deleted)
	// no longer applies; one that failed keeps its last good layer.
	for name, l := range w.last {
		if !present[name] && !w.failed(name, l.Origin, machineErr, userErr) {
			delete(w.last, name)
		}
	}
	all := make([]Layer, 0, len(w.last))
	for _, l := range w.last {
		all = append(all, l)
	}
	old := w.snap
	w.snap = Merge(all...)
	ch := Change{Old: old, New: w.snap, Keys: old.Changed(w.snap)}
	var report []error
	for i, err := range []error{machineErr, userErr} {
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if msg != w.reported[i] && err != nil {
			report = append(report, err)
		}
		w.reported[i] = msg
	}
	w.mu.Unlock()

	for _, err := range report {
		if w.OnError != nil {
			w.OnError(err)
		}
	}
	if len(ch.Keys) > 0 && w.OnChange != nil {
		w.OnChange(ch)
	}
}

// failed tells whether the source of a kept layer failed this time.
func (w *Watcher) failed(name string, origin Origin, machineErr, userErr error) bool {
	if origin == FromUser {
		return userErr != nil
	}
	return machineErr != nil
}

// Run watches the sources until ctx is done: file sources through fsnotify on their
// directories (so an atomic rename over the file is seen), the others by polling.
func (w *Watcher) Run(ctx context.Context) error {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer fw.Close()
	files := map[string]bool{}
	for _, f := range []string{w.src.UserFile, w.src.MachineFile, w.src.OSFile} {
		if f == "" {
			continue
		}
		files[filepath.Clean(f)] = true
		dir := filepath.Dir(f)
		if _, err := os.Stat(dir); err == nil {
			if err := fw.Add(dir); err != nil {
				return err
			}
		}
	}
	poll := w.PollEvery
	if poll == 0 {
		poll = 30 * time.Second
	}
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	// Editors and installers write in bursts; reload once the burst is over.
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-fw.Events:
			if !ok {
				return nil
			}
			if files[filepath.Clean(ev.Name)] {
				debounce.Reset(50 * time.Millisecond)
			}
		case err, ok := <-fw.Errors:
			if ok && w.OnError != nil {
				w.OnError(err)
			}
		case <-debounce.C:
			w.Reload()
		case <-ticker.C:
			// Polling also catches what fsnotify cannot: the registry, managed
			// preferences, and a policy folder created after Vellum started.
			w.Reload()
		}
	}
}
