package secure

import (
	"slices"
	"testing"
)

func TestCompiledHeaderValuesCannotBeAppendedToInPlace(t *testing.T) {
	headers := append(slices.Clone(DefaultHeaders), Header{Name: "cache-control", Value: "private"}, Header{Name: "X-Extra", Value: "1"})
	for _, c := range compileHeaders(headers) {
		if len(c.value) != 1 || cap(c.value) != 1 {
			t.Errorf("%s value has len %d, cap %d, want both 1 so that Header().Add copies", c.name, len(c.value), cap(c.value))
		}
	}
}
