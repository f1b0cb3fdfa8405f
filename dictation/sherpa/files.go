package sherpa

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vellumhealth/vellum/models"
)

// verified is a model's files, each checked against its digest through the handle
// the C library then reads (models.OpenFile: on Linux /proc/self/fd/N, a copy sealed
// in memory where anyone but root could change the file), open until the library has
// loaded them.
type verified struct {
	paths  map[string]string // role → the path to load
	digest string            // the files' digests, hashed together in order
	open   []*models.Model
}

// verify opens dir's files by role (role → file name) and checks each against its
// digest in sums (file name → SHA-256). A file without a digest, or with another, is
// refused before the C library reads it.
func verify(dir string, roles map[string]string, sums map[string]string) (*verified, error) {
	v := &verified{paths: map[string]string{}}
	var digests []string
	for _, role := range slices.Sorted(maps.Keys(roles)) {
		f := roles[role]
		want, ok := sums[f]
		if !ok {
			v.close()
			return nil, fmt.Errorf("%w: the %s %s has no digest on the allowlist", ErrModel, role, f)
		}
		m, err := models.OpenFile(filepath.Join(dir, f), []string{want})
		if err != nil {
			v.close()
			return nil, fmt.Errorf("%w: the %s: %v", ErrModel, role, err)
		}
		v.open = append(v.open, m)
		v.paths[role] = m.LoadPath()
		digests = append(digests, want)
	}
	slices.Sort(digests)
	sum := sha256.Sum256([]byte(strings.Join(digests, "\n")))
	v.digest = hex.EncodeToString(sum[:])
	return v, nil
}

// close lets the files go: the C library holds what it loaded.
func (v *verified) close() {
	for _, m := range v.open {
		m.Close()
	}
	v.open = nil
}

// nameOr is name, or dflt where name is empty.
func nameOr(name, dflt string) string {
	if name == "" {
		return dflt
	}
	return name
}

// threadsOr is n threads, or 2 where n is not positive.
func threadsOr(n int) int {
	if n <= 0 {
		return 2
	}
	return n
}
