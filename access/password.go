package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are Argon2id's cost parameters. They are recorded in every hash, so raising
// them later leaves existing hashes verifiable (and Verify says when one is weaker).
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultParams: 64 MiB, 3 passes, 2 lanes — about a quarter second on a 2-core
// workstation, far above OWASP's minimum (19 MiB, 2 passes).
var DefaultParams = Params{MemoryKiB: 64 << 10, Time: 3, Threads: 2}

// MinPasswordLength follows NIST SP 800-63B's advice to favour length.
const MinPasswordLength = 12

var errBadHash = errors.New("malformed password hash")

// CheckPassword says whether a new password is acceptable.
func CheckPassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return fmt.Errorf("the password must have at least %d characters", MinPasswordLength)
	}
	return nil
}

// HashPassword returns the PHC string $argon2id$v=19$m=..,t=..,p=..$salt$hash.
func HashPassword(pw string, p Params) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	sum := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(sum))
}

// VerifyPassword checks pw against a hash from HashPassword, in constant time.
func VerifyPassword(pw, hash string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	p, err := hashParams(parts[3])
	if err != nil {
		return false, err
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// Bounds on the parameters a stored hash may ask for: a hash from a hostile backup must
// not make every sign-in allocate gigabytes.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 16
	maxThreads   = 16
)

func hashParams(field string) (Params, error) {
	var p Params
	if _, err := fmt.Sscanf(field, "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil ||
		p.Time == 0 || p.Threads == 0 || p.MemoryKiB < 8 || p.MemoryKiB > maxMemoryKiB || p.Time > maxTime || p.Threads > maxThreads {
		return Params{}, errBadHash
	}
	return p, nil
}

// CheckHashParams says whether a stored hash is an Argon2id hash this build verifies,
// with parameters inside the bounds.
func CheckHashParams(hash string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errBadHash
	}
	_, err := hashParams(parts[3])
	return err
}
