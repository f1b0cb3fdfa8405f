//go:build !libsqlite3

package collector

// Without the libsqlite3 build tag, github.com/mattn/go-sqlite3 compiles its own SQLite
// amalgamation, which ignores the key and would keep the store in the clear. Refuse to
// compile instead: build with `make build` (see README.md).
var _ = vellum_collector_requires_build_tag_libsqlite3_see_README
