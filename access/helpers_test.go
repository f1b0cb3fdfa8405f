package access

import "time"

func durationOf(ns int) time.Duration { return time.Duration(ns) }
