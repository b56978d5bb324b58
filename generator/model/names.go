package model

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// initialisms are written in upper case inside Go names (Effective Go; the
// list golint used, plus a few common in APIs).
var initialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "CSV": true, "DNS": true,
	"EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true, "IDS": true,
	"IP": true, "JSON": true, "JWT": true, "LHS": true, "OS": true, "QPS": true, "RAM": true,
	"RHS": true, "RPC": true, "SLA": true, "SMTP": true, "SQL": true, "SSH": true, "SSO": true,
	"TCP": true, "TLS": true, "TTL": true, "UDP": true, "UI": true, "UID": true, "URI": true,
	"URL": true, "UTF8": true, "UUID": true, "VM": true, "XML": true, "XMPP": true, "XSRF": true,
	"XSS": true,
}

// words splits s into words at non-alphanumeric runes and at case changes:
// "petId" → [pet Id], "HTTPServer" → [HTTP Server], "created-at" → [created at].
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 {
			prev := cur[len(cur)-1]
			switch {
			case unicode.IsLower(prev) && unicode.IsUpper(r):
				flush()
			case unicode.IsUpper(prev) && unicode.IsUpper(r) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
				flush()
			case unicode.IsDigit(prev) && unicode.IsLetter(r) && !(i+1 < len(rs) && unicode.IsLetter(rs[i+1]) && unicode.IsUpper(r) != unicode.IsUpper(rs[i+1])):
				// "v2beta" stays one word; "2fa" too.
			}
		}
		cur = append(cur, r)
	}
	flush()
	return out
}

// GoName turns any spec string into an exported Go identifier:
// "pet_id" → "PetID", "created-at" → "CreatedAt", "2fa" → "N2fa", "" → "Empty".
func GoName(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		up := strings.ToUpper(w)
		if initialisms[up] {
			b.WriteString(up)
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(w[size:])
	}
	name := b.String()
	if name == "" {
		return "Empty"
	}
	if r, _ := utf8.DecodeRuneInString(name); !unicode.IsLetter(r) {
		name = "N" + name
	}
	return sanitize(name)
}

// sanitize drops runes Go does not allow in identifiers (letters and digits
// from other scripts are fine, but e.g. combining marks are not).
func sanitize(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			return r
		}
		return -1
	}, name)
}

// Namespace hands out collision-free names: the second "Pet" becomes "Pet2".
// Comparison ignores case so that two names never differ only in case, which
// would confuse readers and some file systems.
type Namespace struct {
	taken map[string]bool
}

// NewNamespace returns a namespace with the given names already taken.
func NewNamespace(reserved ...string) *Namespace {
	ns := &Namespace{taken: map[string]bool{}}
	for _, r := range reserved {
		ns.taken[strings.ToLower(r)] = true
	}
	return ns
}

// Take returns name, or name with the smallest numeric suffix that is free,
// and marks it taken.
func (ns *Namespace) Take(name string) string {
	cand := name
	for i := 2; ns.taken[strings.ToLower(cand)]; i++ {
		cand = name + strconv.Itoa(i)
	}
	ns.taken[strings.ToLower(cand)] = true
	return cand
}

// Has reports whether name is taken.
func (ns *Namespace) Has(name string) bool { return ns.taken[strings.ToLower(name)] }
