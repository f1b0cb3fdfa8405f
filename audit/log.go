package audit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Stored is one record as the journal keeps it.
type Stored struct {
	Seq  uint64
	Line []byte // the canonical encoding
	Hash string
}

// Store is the journal. The vault implements it: records reference patients (ePHI),
// so they are kept encrypted, and a commit there is durable (WAL, synchronous=FULL).
type Store interface {
	// AuditHead returns the last record of device (seq 0 and "" for none).
	AuditHead(ctx context.Context, device string) (seq uint64, hash string, err error)
	// AppendAudit stores records and the head that signs the last of them, in one
	// transaction: all or nothing.
	AppendAudit(ctx context.Context, device string, records []Stored, head Head) error
	// AuditRecords returns up to limit records of device with seq > after, in order.
	AuditRecords(ctx context.Context, device string, after uint64, limit int) ([]Stored, error)
	// AuditHeads returns the signed heads of device with seq > after, in order.
	AuditHeads(ctx context.Context, device string, after uint64) ([]Head, error)
}

// Entry is what a caller appends; Log numbers, dates, chains and signs it.
type Entry struct {
	User   string
	Role   string
	Action Action
	Object Object
	// MRN is hashed into the patient reference with the site key and then dropped;
	// it is never stored.
	MRN     string
	Details map[string]string
	Outcome Outcome
}

// Log appends records for one device. Append is safe for concurrent use: appends that
// arrive while a commit is in flight share the next one (group commit), so many
// appenders cost one fsync per batch, and each Append still returns only once its own
// record is durable.
type Log struct {
	store   Store
	key     DeviceKey
	siteKey func() []byte
	now     func() time.Time

	reqs chan *pending
	quit chan struct{}
	done chan struct{}
}

type pending struct {
	e   Entry
	res chan result
}

type result struct {
	r   Record
	err error
}

// maxBatch bounds one group commit.
const maxBatch = 4096

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("the audit log is closed")

// Open starts a log over store. siteKey returns the current site key for patient
// references (policy may change it); nil or empty means records carry none.
func Open(ctx context.Context, store Store, key DeviceKey, siteKey func() []byte, now func() time.Time) (*Log, error) {
	if now == nil {
		now = time.Now
	}
	if siteKey == nil {
		siteKey = func() []byte { return nil }
	}
	seq, hash, err := store.AuditHead(ctx, key.ID)
	if err != nil {
		return nil, fmt.Errorf("open the audit log: %w", err)
	}
	if seq == 0 {
		hash = Genesis
	}
	l := &Log{store: store, key: key, siteKey: siteKey, now: now,
		reqs: make(chan *pending, maxBatch), quit: make(chan struct{}), done: make(chan struct{})}
	go l.commit(seq, hash)
	return l, nil
}

// Device is the id records of this log carry.
func (l *Log) Device() string { return l.key.ID }

// Append records e and returns once it is durable. If ctx ends first, Append returns
// ctx's error and the record may or may not have been written.
func (l *Log) Append(ctx context.Context, e Entry) (Record, error) {
	p := &pending{e: e, res: make(chan result, 1)}
	select {
	case l.reqs <- p:
	case <-l.quit:
		return Record{}, ErrClosed
	case <-ctx.Done():
		return Record{}, ctx.Err()
	}
	select {
	case r := <-p.res:
		return r.r, r.err
	case <-ctx.Done():
		return Record{}, ctx.Err()
	}
}

// Close waits for appends in flight and stops the log.
func (l *Log) Close() error {
	select {
	case <-l.quit:
	default:
		close(l.quit)
	}
	<-l.done
	return nil
}

func (l *Log) commit(seq uint64, hash string) {
	defer close(l.done)
	for {
		var first *pending
		select {
		case first = <-l.reqs:
		case <-l.quit:
			// Drain what was queued before Close.
			for {
				select {
				case p := <-l.reqs:
					seq, hash = l.write([]*pending{p}, seq, hash)
				default:
					return
				}
			}
		}
		batch := []*pending{first}
	more:
		for len(batch) < maxBatch {
			select {
			case p := <-l.reqs:
				batch = append(batch, p)
			default:
				break more
			}
		}
		seq, hash = l.write(batch, seq, hash)
	}
}

// write commits one batch and answers its appenders; it returns the new head, or the
// old one if the commit failed (then every appender of the batch gets the error).
func (l *Log) write(batch []*pending, seq uint64, hash string) (uint64, string) {
	site := l.siteKey()
	now := FormatTime(l.now())
	type entry struct {
		p *pending
		r Record
	}
	var good []entry
	stored := make([]Stored, 0, len(batch))
	s, h := seq, hash
	for _, p := range batch {
		r := Record{Version: Version, Device: l.key.ID, Seq: s + 1, Time: now, User: p.e.User, Role: p.e.Role,
			Action: p.e.Action, Object: p.e.Object, Patient: PatientRef(site, p.e.MRN),
			Details: p.e.Details, Outcome: p.e.Outcome, Prev: h}
		b, err := r.Encode()
		if err != nil {
			// One bad entry must not sink the others: answer it; it takes no number.
			p.res <- result{err: fmt.Errorf("audit: %w", err)}
			continue
		}
		s, h = s+1, Hash(b)
		good = append(good, entry{p, r})
		stored = append(stored, Stored{Seq: s, Line: b, Hash: h})
	}
	if len(stored) == 0 {
		return seq, hash
	}
	head := SignHead(l.key.Private, l.key.ID, s, h)
	if err := l.store.AppendAudit(context.Background(), l.key.ID, stored, head); err != nil {
		for _, g := range good {
			g.p.res <- result{err: fmt.Errorf("audit: %w", err)}
		}
		return seq, hash
	}
	for _, g := range good {
		g.p.res <- result{r: g.r}
	}
	return s, h
}
