package crypt

import "testing"

func TestTheLongestHashTheBoundsAllowFitsTheLengthCap(t *testing.T) {
	p := Params{Memory: maxMemoryKiB, Time: maxTime, Threads: 255, SaltLen: maxSaltLen, KeyLen: maxKeyLen}
	hash := encodePHC(p, make([]byte, maxSaltLen), make([]byte, maxKeyLen))
	if len(hash) > maxHashLen {
		t.Fatalf("len(longest hash) = %d, want at most maxHashLen = %d", len(hash), maxHashLen)
	}
	h, err := parsePHC(hash)
	if err != nil || h.p != p {
		t.Errorf("parsePHC(longest hash) = %+v, %v, want %+v, nil", h.p, err, p)
	}
}
