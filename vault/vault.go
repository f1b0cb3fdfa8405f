package vault

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Options say where a vault lives and how it is kept.
type Options struct {
	// Dir is the profile directory (see ProfileDir).
	Dir string
	// Keychain holds the vault key; nil means the OS keychain.
	Keychain Keychain
	// Recipient is the hospital's recovery public key (age X25519, "age1..."). When set,
	// the vault key is escrowed to it beside the vault, re-wrapped when it changes and on
	// every rekey. Empty leaves an existing escrow as it is.
	Recipient string
	// CacheKiB is the page cache of each connection, in KiB; zero means 256 MiB. Pages
	// are decrypted when they enter the cache, so a cache that holds the working set
	// makes reads cost what they cost in plain SQLite.
	CacheKiB int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (o Options) keychain() Keychain {
	if o.Keychain == nil {
		return SystemKeychain{}
	}
	return o.Keychain
}

func (o Options) now() time.Time {
	if o.Now == nil {
		return time.Now().UTC()
	}
	return o.Now().UTC()
}

// Vault is an open, decrypted vault. Its methods are safe for concurrent use, except
// Rekey, which must run alone (it replaces the connection pool).
type Vault struct {
	opts Options
	db   *sql.DB
	meta meta
	// backupKey signs backups (SignBackups).
	backupKey ed25519.PrivateKey
}

// ID is the vault's random identifier; it names the keychain entry and appears in
// backups and audit records. It is not secret.
func (v *Vault) ID() string { return v.meta.VaultID }

// Dir is the profile directory.
func (v *Vault) Dir() string { return v.opts.Dir }

// Close closes the database. A clean close checkpoints the write-ahead log.
func (v *Vault) Close() error { return v.db.Close() }

// Exists reports whether dir holds a vault, complete or damaged. A vault.db.new
// without vault.json is the debris of a Create that never finished, not a vault.
func Exists(dir string) bool {
	for _, name := range []string{metaFile, dbFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// OpenOrCreate opens the vault in o.Dir, creating it if the profile has none.
func OpenOrCreate(ctx context.Context, o Options) (*Vault, error) {
	v, err := Open(ctx, o)
	if errors.Is(err, ErrNoVault) {
		return Create(ctx, o)
	}
	return v, err
}

// Create makes a new vault in o.Dir: a fresh key in the keychain, an empty encrypted
// database, its metadata, and the escrow if o.Recipient is set. The vault exists once
// vault.json is written, after the key, database and escrow are durable; a crash or an
// error before that leaves no vault (and no keychain entry) behind.
func Create(ctx context.Context, o Options) (*Vault, error) {
	if o.Dir == "" {
		return nil, errors.New("create vault: no profile directory")
	}
	unlock, err := lockProfile(ctx, o.Dir)
	if err != nil {
		return nil, fmt.Errorf("create vault in %s: %w", o.Dir, err)
	}
	err = create(ctx, o)
	unlock()
	if err != nil {
		return nil, fmt.Errorf("create vault in %s: %w", o.Dir, err)
	}
	return Open(ctx, o)
}

func create(ctx context.Context, o Options) (err error) {
	if Exists(o.Dir) {
		return errors.New("a vault already exists there")
	}
	// The profile holds PHI: owner only, whatever the directory was made with.
	if err := os.Chmod(o.Dir, 0o700); err != nil {
		return err
	}
	newPath := filepath.Join(o.Dir, dbFile+".new")
	removeNew := func() {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(newPath + suffix)
		}
	}
	removeNew() // debris of an earlier Create that did not finish

	m := meta{VaultID: newVaultID(), Created: o.now()}
	key := newKey()
	m.KeyFingerprint = fingerprint(key)
	kc := o.keychain()
	if err := putEntry(ctx, kc, keyEntry{VaultID: m.VaultID, Key: key}); err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			removeNew()
			os.Remove(filepath.Join(o.Dir, escrowFile))
			kc.Delete(context.WithoutCancel(ctx), keychainAccount(m.VaultID))
		}
	}()

	db, err := openDB(ctx, newPath, key, o.CacheKiB)
	if err != nil {
		return err
	}
	if err = assertEncrypting(ctx, db); err == nil {
		err = migrate(ctx, db)
	}
	if err == nil {
		// Page 1 must reach the main file so that its salt and header can be checked.
		_, err = db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := testHook("create: database written"); err != nil {
		return err
	}
	if err := assertEncryptedFile(newPath); err != nil {
		return err
	}
	if m.Salt, err = fileSalt(newPath); err != nil {
		return err
	}
	if o.Recipient != "" {
		if err := writeEscrow(o.Dir, escrowFile, o.Recipient, m.VaultID, key); err != nil {
			return err
		}
		m.EscrowRecipient = o.Recipient
	}
	if err := writeMeta(o.Dir, m); err != nil {
		return err
	}
	committed = true // from here on Open finishes the job
	if err := os.Rename(newPath, filepath.Join(o.Dir, dbFile)); err != nil {
		return err
	}
	return syncDir(o.Dir)
}

// Open opens the existing vault in o.Dir with its key from the keychain. On failure it
// names the cause (errors.Is with ErrNoVault, ErrKeychainUnavailable, ErrKeychainLocked,
// ErrKeyMissing,
// ErrWrongKey, ErrForeignVault, ErrDamaged, ErrNotEncrypted, ErrNoEncryption,
// ErrNewerSchema) and leaves every file as it was.
func Open(ctx context.Context, o Options) (*Vault, error) {
	v, err := open(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("open vault %s: %w", o.Dir, err)
	}
	return v, nil
}

func open(ctx context.Context, o Options) (*Vault, error) {
	if o.Dir == "" {
		return nil, errors.New("no profile directory")
	}
	path := filepath.Join(o.Dir, dbFile)
	m, err := readMeta(o.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(path); serr == nil {
			return nil, fmt.Errorf("%w: %s is missing beside %s", ErrDamaged, metaFile, dbFile)
		}
		return nil, ErrNoVault
	}
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		// Create wrote the metadata and crashed before renaming the database in: the
		// one write an open makes before the key is checked, and it finishes a Create.
		if _, nerr := os.Stat(path + ".new"); nerr == nil {
			if err := os.Rename(path+".new", path); err != nil {
				return nil, err
			}
		} else {
			return nil, fmt.Errorf("%w: %s is missing", ErrDamaged, dbFile)
		}
	}
	if err := assertEncryptedFile(path); err != nil {
		return nil, err
	}
	kc := o.keychain()
	e, err := getEntry(ctx, kc, m.VaultID)
	if err != nil {
		return nil, err
	}
	if e.Next != nil {
		// A rekey is under way or was cut short. Wait for the process doing it, then
		// look again: settling a rekey that is still running would lose its key.
		unlock, err := lockProfile(ctx, o.Dir)
		if err != nil {
			return nil, err
		}
		defer unlock()
		if e, err = getEntry(ctx, kc, m.VaultID); err != nil {
			return nil, err
		}
	}
	if e.VaultID != m.VaultID {
		return nil, fmt.Errorf("%w: the keychain entry names vault %s", ErrForeignVault, e.VaultID)
	}

	keys := [][]byte{e.Key}
	if e.Next != nil {
		keys = append(keys, e.Next)
	}
	var db *sql.DB
	var used []byte
	for _, k := range keys {
		db, err = openDB(ctx, path, k, o.CacheKiB)
		if err == nil {
			used = k
			break
		}
		if !isNotADB(err) {
			return nil, classifyOpenError(err)
		}
	}
	if db == nil {
		return nil, diagnose(m, e, path)
	}
	v := &Vault{opts: o, db: db, meta: m}
	if err := v.settle(ctx, e, used); err != nil {
		db.Close()
		return nil, err
	}
	return v, nil
}

// settle brings an opened vault to a consistent state: encryption proved, schema
// current, an interrupted rekey finished or abandoned, metadata and escrow up to date.
func (v *Vault) settle(ctx context.Context, e keyEntry, used []byte) error {
	if err := assertEncrypting(ctx, v.db); err != nil {
		return err
	}
	if err := migrate(ctx, v.db); err != nil {
		return err
	}
	if e.Next != nil {
		if bytes.Equal(used, e.Next) {
			// The database was rekeyed but the crash came before the keychain caught up.
			return v.finishRekey(ctx, e.Next)
		}
		// The rekey never reached the database: forget the new key.
		os.Remove(filepath.Join(v.opts.Dir, escrowNextFile))
		if err := putEntry(ctx, v.opts.keychain(), keyEntry{VaultID: e.VaultID, Key: e.Key}); err != nil {
			return err
		}
	}
	// After a recovery, or a crash inside a rekey's last step, vault.json may describe
	// the previous key: bring it up to date so that a later failed open is named right.
	salt, err := fileSalt(filepath.Join(v.opts.Dir, dbFile))
	if err != nil {
		return err
	}
	if fp := fingerprint(used); fp != v.meta.KeyFingerprint || salt != v.meta.Salt {
		m := v.meta
		m.KeyFingerprint, m.Salt = fp, salt
		if err := writeMeta(v.opts.Dir, m); err != nil {
			return err
		}
		v.meta = m
	}
	return v.syncEscrow(used)
}

// openDB opens path as a SQLCipher v4 database under key. The key leaves this function
// only inside the DSN handed to the driver; neither is ever logged or put in an error.
func openDB(ctx context.Context, path string, key []byte, cacheKiB int) (*sql.DB, error) {
	db, err := sql.Open("sqlite3", dsn(path, key, cacheKiB))
	if err != nil {
		return nil, scrub(err)
	}
	// One writer at a time is SQLite's rule; BEGIN IMMEDIATE (_txlock) takes the
	// write lock up front instead of failing on upgrade.
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, scrub(err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		db.Close()
		return nil, scrub(err)
	}
	return db, nil
}

func dsn(path string, key []byte, cacheKiB int) string {
	if cacheKiB == 0 {
		cacheKiB = 256 << 10
	}
	p := filepath.ToSlash(path)
	if runtime.GOOS == "windows" {
		p = "/" + p
	}
	u := url.URL{Scheme: "file", Path: p}
	q := []string{
		"cipher=sqlcipher",
		"legacy=4",
		"key=x%27" + hex.EncodeToString(key) + "%27",
		"_journal_mode=WAL",
		"_synchronous=FULL",
		"_secure_delete=on",
		"_foreign_keys=on",
		"_busy_timeout=10000",
		"_txlock=immediate",
		fmt.Sprintf("_cache_size=-%d", cacheKiB),
	}
	return u.String() + "?" + strings.Join(q, "&")
}

// scrub makes sure no error that leaves this package quotes a DSN. go-sqlite3's errors
// are SQLite's messages, which never do; this is the belt to that pair of braces.
func scrub(err error) error {
	if err == nil {
		return nil
	}
	if strings.Contains(err.Error(), "key=") {
		var se sqlite3.Error
		if errors.As(err, &se) {
			return fmt.Errorf("sqlite: %s (code %d)", se.Code.Error(), int(se.Code))
		}
		return errors.New("sqlite: open failed")
	}
	return err
}

func isNotADB(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrNotADB
}

func classifyOpenError(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrCorrupt {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return err
}

// diagnose tells why no key opened the file.
func diagnose(m meta, e keyEntry, path string) error {
	salt, err := fileSalt(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if m.Salt != "" && salt != m.Salt {
		return fmt.Errorf("%w: %s is not the database vault %s was created with (copied from another profile?)", ErrForeignVault, dbFile, m.VaultID)
	}
	if e.Fingerprint != m.KeyFingerprint && (e.Next == nil || fingerprint(e.Next) != m.KeyFingerprint) {
		return fmt.Errorf("%w: key fingerprint %s, the vault expects %s", ErrWrongKey, e.Fingerprint, m.KeyFingerprint)
	}
	return fmt.Errorf("%w: its first page fails authentication under the right key", ErrDamaged)
}

const sqliteHeader = "SQLite format 3\x00"

// assertEncryptedFile refuses a plaintext or truncated database file. Every SQLCipher
// page is whole, so the size of an intact file is a multiple of the page size.
func assertEncryptedFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() == 0 || st.Size()%pageSize != 0 {
		return fmt.Errorf("%w: %s is %d bytes, not a whole number of %d-byte pages (truncated?)", ErrDamaged, dbFile, st.Size(), pageSize)
	}
	head := make([]byte, len(sqliteHeader))
	if _, err := f.ReadAt(head, 0); err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if string(head) == sqliteHeader {
		return fmt.Errorf("%w: %s starts with a plaintext SQLite header", ErrNotEncrypted, dbFile)
	}
	return nil
}

// pageSize is SQLCipher v4's default, which the vault keeps.
const pageSize = 4096

// assertEncrypting proves that the connection runs SQLite3MultipleCiphers with the
// SQLCipher scheme: a misbuilt SQLite would silently write plaintext.
func assertEncrypting(ctx context.Context, db *sql.DB) error {
	var version, cipher string
	if err := db.QueryRowContext(ctx, "SELECT sqlite3mc_version()").Scan(&version); err != nil {
		return fmt.Errorf("%w: %v", ErrNoEncryption, err)
	}
	if !strings.HasPrefix(version, "SQLite3 Multiple Ciphers") {
		return fmt.Errorf("%w: it reports %q", ErrNoEncryption, version)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA cipher").Scan(&cipher); err != nil {
		return fmt.Errorf("%w: PRAGMA cipher: %v", ErrNoEncryption, err)
	}
	if cipher != "sqlcipher" {
		return fmt.Errorf("%w: cipher is %q, not sqlcipher", ErrNoEncryption, cipher)
	}
	return nil
}

// Info describes a vault for `vellum vault check`.
type Info struct {
	VaultID        string `json:"vault_id"`
	Dir            string `json:"profile"`
	KeyFingerprint string `json:"key_fingerprint"`
	SQLite         string `json:"sqlite"`
	Cipher         string `json:"cipher"`
	CipherLib      string `json:"cipher_library"`
	JournalMode    string `json:"journal_mode"`
	Synchronous    string `json:"synchronous"`
	SecureDelete   bool   `json:"secure_delete"`
	SchemaVersion  int    `json:"schema_version"`
	Notes          int    `json:"notes"`
	// SealedNotes are sealed to their physician's note key; the others wait for
	// their physician's next sign-in (FORMAT.md, "Per-user note keys").
	SealedNotes int `json:"sealed_notes"`
	// NoteKeys counts physicians' note keys; UnescrowedNoteKeys those made while no
	// recovery recipient was set, which a lost keychain would leave unopenable.
	NoteKeys           int    `json:"note_keys"`
	UnescrowedNoteKeys int    `json:"unescrowed_note_keys"`
	Integrity          string `json:"integrity"`
	Escrowed           bool   `json:"escrowed"`
	Bytes              int64  `json:"bytes"`
}

// Check verifies every page (each one's HMAC is checked as it is decrypted) and the
// schema, and reports how the vault is kept. A vault that fails returns ErrDamaged.
func (v *Vault) Check(ctx context.Context) (Info, error) {
	in := Info{VaultID: v.meta.VaultID, Dir: v.opts.Dir, KeyFingerprint: v.meta.KeyFingerprint}
	var sync, sd int
	rows := []struct {
		q    string
		dest any
	}{
		{"SELECT sqlite_version()", &in.SQLite},
		{"SELECT sqlite3mc_version()", &in.CipherLib},
		{"PRAGMA cipher", &in.Cipher},
		{"PRAGMA journal_mode", &in.JournalMode},
		{"PRAGMA synchronous", &sync},
		{"PRAGMA secure_delete", &sd},
		{"PRAGMA user_version", &in.SchemaVersion},
		{"SELECT count(*) FROM notes", &in.Notes},
		{"SELECT count(sealed_key) FROM notes", &in.SealedNotes},
		{"SELECT count(*) FROM owner_keys", &in.NoteKeys},
		{"SELECT count(*) - count(escrow) FROM owner_keys", &in.UnescrowedNoteKeys},
	}
	conn, err := v.db.Conn(ctx) // per-connection pragmas must be read on one connection
	if err != nil {
		return in, err
	}
	defer conn.Close()
	for _, r := range rows {
		if err := conn.QueryRowContext(ctx, r.q).Scan(r.dest); err != nil {
			return in, fmt.Errorf("check vault: %s: %w", r.q, classifyOpenError(err))
		}
	}
	in.Synchronous = map[int]string{0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[sync]
	in.SecureDelete = sd == 1
	var problems []string
	qrows, err := conn.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return in, fmt.Errorf("check vault: %w: %v", ErrDamaged, err)
	}
	for qrows.Next() {
		var s string
		if err := qrows.Scan(&s); err != nil {
			qrows.Close()
			return in, err
		}
		problems = append(problems, s)
	}
	if err := qrows.Err(); err != nil {
		return in, fmt.Errorf("check vault: %w: %v", ErrDamaged, err)
	}
	if _, err := conn.ExecContext(ctx, "INSERT INTO notes_fts(notes_fts) VALUES('integrity-check')"); err != nil {
		problems = append(problems, "search index: "+err.Error())
	}
	in.Integrity = strings.Join(problems, "; ")
	if _, err := os.Stat(filepath.Join(v.opts.Dir, escrowFile)); err == nil {
		in.Escrowed = true
	}
	if st, err := os.Stat(filepath.Join(v.opts.Dir, dbFile)); err == nil {
		in.Bytes = st.Size()
	}
	if in.Integrity != "ok" {
		return in, fmt.Errorf("check vault: %w: %s", ErrDamaged, in.Integrity)
	}
	return in, nil
}
