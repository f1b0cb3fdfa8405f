package vault

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Files of a profile directory (FORMAT.md).
const (
	dbFile     = "vault.db"
	metaFile   = "vault.json"
	escrowFile = "vault.escrow.age"
	// escrowNextFile holds the escrow of the next key while a rekey is under way.
	escrowNextFile = "vault.escrow.next.age"
)

const keySize = 32

// meta is the plaintext sidecar vault.json. It holds nothing secret: it names the vault,
// fingerprints its key, and records the file's SQLCipher salt, so that a failed open can
// say which of "wrong key", "file from another profile" and "damaged file" happened.
type meta struct {
	Format          string    `json:"format"`
	Version         int       `json:"version"`
	VaultID         string    `json:"vault_id"`
	KeyFingerprint  string    `json:"key_fingerprint"`
	Salt            string    `json:"salt"`
	EscrowRecipient string    `json:"escrow_recipient,omitempty"`
	Created         time.Time `json:"created"`
}

const metaFormat = "vellum-vault"

func newVaultID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b)
}

func newKey() []byte {
	k := make([]byte, keySize)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return k
}

// fingerprint identifies a key without revealing it: 16 bytes of a domain-separated
// SHA-256 of a 256-bit random key.
func fingerprint(key []byte) string {
	h := sha256.Sum256(append([]byte("vellum vault key fingerprint v1\x00"), key...))
	return hex.EncodeToString(h[:16])
}

func readMeta(dir string) (meta, error) {
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return meta{}, err
	}
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return meta{}, fmt.Errorf("%w: %s is not valid JSON: %v", ErrDamaged, metaFile, err)
	}
	if m.Format != metaFormat || m.Version != 1 || m.VaultID == "" {
		return meta{}, fmt.Errorf("%w: %s is not a version 1 vault description", ErrDamaged, metaFile)
	}
	return m, nil
}

func writeMeta(dir string, m meta) error {
	m.Format, m.Version = metaFormat, 1
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, metaFile), append(b, '\n'), 0o600)
}

// WriteFileAtomic replaces path with data so that a crash leaves either the old or the
// new content, never a mix: write a temporary file (created readable by its owner
// alone), fsync it, rename, fsync the folder. The vault writes its own files so; other
// files that carry PHI (an exported note) are written so too.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// fileSalt reads the SQLCipher salt: the first 16 bytes of an encrypted database file.
func fileSalt(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b := make([]byte, 16)
	if _, err := f.ReadAt(b, 0); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// EncryptedOnDisk says whether the vault file in dir is encrypted: an SQLCipher-format
// file begins with its random salt, a plaintext SQLite file with "SQLite format 3".
// It reads the first 16 bytes and nothing else; ErrNoVault where there is no file.
func EncryptedOnDisk(dir string) (bool, error) {
	f, err := os.Open(filepath.Join(dir, dbFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, ErrNoVault
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	var head [16]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		return false, fmt.Errorf("%s: %w", dbFile, err)
	}
	return string(head[:]) != "SQLite format 3\x00", nil
}
