# Recipe for scripts/native-build.sh: SQLite with SQLite3MultipleCiphers (SQLCipher v4 format),
# taken from the amalgamation that better-sqlite3-multiple-ciphers ships in deps/sqlite3/.
NAME=sqlite3mc
# The suffix after the upstream versions is this recipe's revision: bump it whenever the
# compile options change, so that caches built with the old ones are not reused.
VERSION=2.4.0-sqlite3.53.4-r2
NPM_PACKAGE=better-sqlite3-multiple-ciphers@13.0.3
SHA256=24a11e221247fc003f755ad0f82126bc6b0295d0be1c06f3cb3e48d9db8eb898

# Compile options, and why:
#   THREADSAFE=1            database/sql shares connections between goroutines.
#   TEMP_STORE=3            temporary tables and sort spills stay in memory: no plaintext
#                           temp files, whatever a connection's PRAGMA says.
#   ENABLE_FTS5             note search inside the encrypted file.
#   USE_URI=1               the cipher and key travel as URI parameters of the DSN.
#   DEFAULT_FOREIGN_KEYS=1, DQS=0, OMIT_DEPRECATED, OMIT_SHARED_CACHE: stricter SQL.
#   ENABLE_COLUMN_METADATA  go-sqlite3 asks for declared column types.
#   SECURE_DELETE           freed pages are zeroed by default.
#   DEFAULT_FILE_PERMISSIONS=0600  the database and its logs are the owner's alone.
# AES-NI is compiled in by sqlite3mc itself and chosen at run time by CPUID.
SQLITE3MC_CFLAGS=(
  -O2 -fPIC -w
  -DSQLITE_THREADSAFE=1
  -DSQLITE_TEMP_STORE=3
  -DSQLITE_ENABLE_FTS5
  -DSQLITE_USE_URI=1
  -DSQLITE_DEFAULT_FOREIGN_KEYS=1
  -DSQLITE_DQS=0
  -DSQLITE_OMIT_DEPRECATED
  -DSQLITE_OMIT_SHARED_CACHE
  -DSQLITE_ENABLE_COLUMN_METADATA
  -DSQLITE_SECURE_DELETE
  -DSQLITE_DEFAULT_FILE_PERMISSIONS=0600
  -DSQLITE_DEFAULT_MEMSTATUS=0
  -DSQLITE_LIKE_DOESNT_MATCH_BLOBS
  -DHAVE_USLEEP=1
)

build() {
  local src=$1 prefix=$2
  mkdir -p "$prefix/include" "$prefix/lib"
  cp "$src/deps/sqlite3/sqlite3.h" "$src/deps/sqlite3/sqlite3ext.h" "$prefix/include/"
  ${CC:-cc} "${SQLITE3MC_CFLAGS[@]}" -c "$src/deps/sqlite3/sqlite3.c" -o "$prefix/lib/sqlite3.o"
  ${AR:-ar} rcs "$prefix/lib/libsqlite3.a" "$prefix/lib/sqlite3.o"
  rm "$prefix/lib/sqlite3.o"
}
