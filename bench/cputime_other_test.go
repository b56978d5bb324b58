//go:build !unix

package bench

import "time"

// cpuTime reports that the process's CPU time cannot be read here, so the
// benchmarks report wall time only.
func cpuTime() (time.Duration, bool) { return 0, false }
