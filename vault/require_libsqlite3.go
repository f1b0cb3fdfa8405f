//go:build !libsqlite3

package vault

// Without the libsqlite3 build tag, github.com/mattn/go-sqlite3 compiles its own SQLite
// amalgamation, which has no encryption and would write notes in the clear. Refuse to
// compile instead: build with `make build`, or `go build -tags libsqlite3` with CGO_CFLAGS
// and CGO_LDFLAGS pointing at the SQLite3MultipleCiphers library (see README.md).
var _ = vellum_vault_requires_build_tag_libsqlite3_see_README
