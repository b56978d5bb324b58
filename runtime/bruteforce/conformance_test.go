package bruteforce_test

import (
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/bruteforce"
	"github.com/secgen/secgen/runtime/bruteforce/storetest"
)

func TestMemoryStore(t *testing.T) {
	storetest.Run(t, time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), func(*testing.T) bruteforce.Store {
		return bruteforce.NewMemoryStore(0)
	})
}
