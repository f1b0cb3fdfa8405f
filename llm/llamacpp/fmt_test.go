//go:build llamacpp

package llamacpp

import "fmt"

func fmtSscan(s string, a ...any) { fmt.Sscan(s, a...) }
