//go:build race

package phi

// raceEnabled: the race detector slows the scoring tenfold, and it has no
// concurrency to check there.
const raceEnabled = true
