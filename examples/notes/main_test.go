package main

import (
	"strings"
	"testing"
)

func TestLoadConfig(t *testing.T) {
	secret := strings.Repeat("s", 32)
	key := strings.Repeat("k", 32)
	tests := []struct {
		name    string
		env     map[string]string
		wantErr []string // substrings of the error; none for success
	}{
		{
			name: "an HMAC secret is enough to start",
			env:  map[string]string{"NOTES_BEARER_AUTH_HMAC_SECRET": secret},
		},
		{
			name:    "without keys for the bearer scheme the service does not start",
			env:     map[string]string{},
			wantErr: []string{`the security scheme "bearerAuth" has no keys to verify tokens with: set NOTES_BEARER_AUTH_HMAC_SECRET`},
		},
		{
			name:    "two key sources for one scheme are one too many",
			env:     map[string]string{"NOTES_BEARER_AUTH_HMAC_SECRET": secret, "NOTES_BEARER_AUTH_JWKS_URL": "https://auth.notes.example/jwks"},
			wantErr: []string{"set only one"},
		},
		{
			name:    "a certificate without its key is refused, and every problem is listed",
			env:     map[string]string{"NOTES_TLS_CERT_FILE": "cert.pem", "NOTES_LOG_LEVEL": "verbose"},
			wantErr: []string{"NOTES_TLS_CERT_FILE and NOTES_TLS_KEY_FILE go together", `NOTES_LOG_LEVEL is "verbose"`, "has no keys"},
		},
		{
			name: "integration keys are owner=key pairs",
			env:  map[string]string{"NOTES_BEARER_AUTH_HMAC_SECRET": secret, "NOTES_API_KEYS": "alice=" + key + ", bob=" + key + "b"},
		},
		{
			name:    "a short integration key is refused",
			env:     map[string]string{"NOTES_BEARER_AUTH_HMAC_SECRET": secret, "NOTES_API_KEYS": "alice=short"},
			wantErr: []string{`NOTES_API_KEYS: the key of "alice" is 5 bytes, want 32 or more`},
		},
		{
			name:    "a key without its owner is refused",
			env:     map[string]string{"NOTES_BEARER_AUTH_HMAC_SECRET": secret, "NOTES_API_KEYS": key},
			wantErr: []string{"NOTES_API_KEYS: want owner=key pairs"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(func(k string) string { return tt.env[k] })
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				if got, want := cfg.addr, "127.0.0.1:8080"; got != want {
					t.Errorf("addr = %q, want %q", got, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("got no error, want one holding %q", tt.wantErr)
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error = %q, want it to hold %q", err, want)
				}
			}
		})
	}
}

func TestReadAPIKeys(t *testing.T) {
	key := strings.Repeat("k", 32)
	keys, err := readAPIKeys(" alice=" + key + " ,, bob=" + key + "b")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].Owner != "alice" || keys[0].Key != key || keys[1].Owner != "bob" || keys[1].Key != key+"b" {
		t.Errorf("readAPIKeys = %+v, want alice's and bob's keys", keys)
	}
}
