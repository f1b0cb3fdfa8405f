package access

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// FileSink appends events as JSON lines to a file, fsynced before Record returns. It
// stands in until the audit log (signed, hash-chained, delivered to the collector)
// takes its place behind the same EventSink interface.
type FileSink struct {
	Path string
	mu   sync.Mutex
}

type fileEvent struct {
	Time    time.Time         `json:"time"`
	Kind    EventKind         `json:"kind"`
	UserID  string            `json:"user,omitempty"`
	Role    Role              `json:"role,omitempty"`
	Subject string            `json:"subject,omitempty"`
	Detail  map[string]string `json:"detail,omitempty"`
}

func (s *FileSink) Record(_ context.Context, e Event) error {
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	b, err := json.Marshal(fileEvent{e.Time, e.Kind, e.UserID, e.Role, e.Subject, e.Detail})
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(s.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("access events: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("access events: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("access events: %w", err)
	}
	return f.Close()
}
