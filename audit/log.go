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
	// AppendAudit runs build with the device's last record (seq 0 and "" for none)
	// inside one write transaction — so that every process appending to the journal
	// numbers and chains from the true head — and stores the records and the head it
	// returns: all or nothing.
	AppendAudit(ctx context.Context, device string, build func(seq uint64, hash string) ([]Stored, Head, error)) error
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
	if _, _, err := store.AuditHead(ctx, key.ID); err != nil {
		return nil, fmt.Errorf("open the audit log: %w", err)
	}
	l := &Log{store: store, key: key, siteKey: siteKey, now: now,
		reqs: make(chan *pending, maxBatch), quit: make(chan struct{}), done: make(chan struct{})}
	go l.commit()
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

// AppendAll records several entries and returns once all are durable. They are queued
// together, so they share commits: showing fifty notes costs one fsync, not fifty.
func (l *Log) AppendAll(ctx context.Context, entries []Entry) error {
	ps := make([]*pending, len(entries))
	for i, e := range entries {
		ps[i] = &pending{e: e, res: make(chan result, 1)}
		select {
		case l.reqs <- ps[i]:
		case <-l.quit:
			return ErrClosed
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	var errs []error
	for _, p := range ps {
		select {
		case r := <-p.res:
			if r.err != nil {
				errs = append(errs, r.err)
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return errors.Join(errs...)
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

func (l *Log) commit() {
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
					l.write([]*pending{p})
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
		l.write(batch)
	}
}

// Seal turns entries into the journal's next records: numbered after seq, chained
// from hash (the head the store holds inside its write transaction; 0 and "" for
// none), dated now, and covered by one signed head. A store that commits a change
// together with its records (the vault's Update) calls it inside that transaction, so
// the change and its records are durable together or not at all. An entry that cannot
// be a record (a detail over its limit, say) fails the whole seal: nothing is written.
func (l *Log) Seal(seq uint64, hash string, entries []Entry) ([]Stored, Head, error) {
	_, stored, head, err := l.seal(seq, hash, FormatTime(l.now()), entries)
	return stored, head, err
}

// seal numbers, chains and encodes entries after (seq, hash), each once, and signs
// the last as the head; none gives none.
func (l *Log) seal(seq uint64, hash, now string, entries []Entry) ([]Record, []Stored, Head, error) {
	if len(entries) == 0 {
		return nil, nil, Head{}, nil
	}
	if seq == 0 {
		hash = Genesis
	}
	site := l.siteKey()
	records := make([]Record, 0, len(entries))
	stored := make([]Stored, 0, len(entries))
	for _, e := range entries {
		r := Record{Version: Version, Device: l.key.ID, Seq: seq + 1, Time: now, User: e.User, Role: e.Role,
			Action: e.Action, Object: e.Object, Patient: PatientRef(site, e.MRN),
			Details: e.Details, Outcome: e.Outcome, Prev: hash}
		b, err := r.Encode()
		if err != nil {
			return nil, nil, Head{}, fmt.Errorf("audit: record %s: %w", e.Action, err)
		}
		seq, hash = seq+1, Hash(b)
		records = append(records, r)
		stored = append(stored, Stored{Seq: seq, Line: b, Hash: hash})
	}
	return records, stored, SignHead(l.key.Private, l.key.ID, seq, hash), nil
}

// write commits one batch and answers its appenders. The records are numbered and
// chained inside the store's transaction, from the head as it is there and then.
func (l *Log) write(batch []*pending) {
	now := FormatTime(l.now())
	site := l.siteKey()
	// Entries that cannot be records are refused before anything is written: probed
	// as they will be written, with their patient reference and a number as long as
	// any the journal will reach, so that one entry cannot fail the others' seal.
	var ok []*pending
	var entries []Entry
	for _, p := range batch {
		probe := Record{Version: Version, Device: l.key.ID, Seq: 1 << 62, Time: now, User: p.e.User, Role: p.e.Role,
			Action: p.e.Action, Object: p.e.Object, Patient: PatientRef(site, p.e.MRN), Details: p.e.Details,
			Outcome: p.e.Outcome, Prev: Genesis}
		if _, err := probe.Encode(); err != nil {
			p.res <- result{err: fmt.Errorf("audit: %w", err)}
			continue
		}
		ok, entries = append(ok, p), append(entries, p.e)
	}
	if len(ok) == 0 {
		return
	}
	var records []Record
	build := func(seq uint64, hash string) ([]Stored, Head, error) {
		var stored []Stored
		var head Head
		var err error
		records, stored, head, err = l.seal(seq, hash, now, entries)
		return stored, head, err
	}
	if err := l.store.AppendAudit(context.Background(), l.key.ID, build); err != nil {
		for _, p := range ok {
			p.res <- result{err: fmt.Errorf("audit: %w", err)}
		}
		return
	}
	for i, p := range ok {
		p.res <- result{r: records[i]}
	}
}
