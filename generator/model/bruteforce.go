package model

import (
	"strconv"
	"strings"
	"time"
)

// BruteForce is an operation's guard against password guessing
// (x-secgen-brute-force).
type BruteForce struct {
	Field string // the guard's field in the generated server
	// AccountFunc names the generated function that reads the account from
	// the request; AccountPointer is the spec's JSON pointer into the body.
	AccountFunc    string
	AccountPointer string
	// AccountNil are the conditions under which the request names no
	// account, AccountExpr the account's value otherwise.
	AccountNil  []string
	AccountExpr string

	MaxFailures       int
	Window            time.Duration
	Lockout           time.Duration
	MaxLockout        time.Duration
	Exponential       bool
	MaxClientFailures int
	FailureStatus     []int
	Op                *Operation
}

// WindowLiteral and friends spell the policy in Go.
func (g *BruteForce) WindowLiteral() string { return durationLiteral(g.Window) }

// LockoutLiteral is the first lockout.
func (g *BruteForce) LockoutLiteral() string { return durationLiteral(g.Lockout) }

// MaxLockoutLiteral is the longest lockout.
func (g *BruteForce) MaxLockoutLiteral() string { return durationLiteral(g.MaxLockout) }

// FailureStatusLiteral lists the statuses that count as failures.
func (g *BruteForce) FailureStatusLiteral() string {
	parts := make([]string, len(g.FailureStatus))
	for i, s := range g.FailureStatus {
		parts[i] = strconv.Itoa(s)
	}
	return "[]int{" + strings.Join(parts, ", ") + "}"
}

// AccountPointerComment is the pointer, safe in a comment.
func (g *BruteForce) AccountPointerComment() string { return strings.Map(printable, g.AccountPointer) }

// AccountNilExpr joins the conditions under which there is no account.
func (g *BruteForce) AccountNilExpr() string { return strings.Join(g.AccountNil, " || ") }

type bruteForceExt struct {
	Account           string `json:"account"`
	MaxFailures       *int   `json:"maxFailures"`
	Window            string `json:"window"`
	Lockout           string `json:"lockout"`
	Backoff           string `json:"backoff"`
	MaxLockout        string `json:"maxLockout"`
	MaxClientFailures int    `json:"maxClientFailures"`
	FailureStatus     []int  `json:"failureStatus"`
}

// bruteForce decodes an operation's x-secgen-brute-force.
func (b *builder) bruteForce(o *Operation) {
	var ext bruteForceExt
	ptr, found, ok := b.extension(o.Extensions, "x-secgen-brute-force", &ext)
	if !found || !ok {
		return
	}
	g := &BruteForce{
		Field: "guard" + o.Name, AccountPointer: ext.Account, MaxFailures: 5, Window: 15 * time.Minute,
		Lockout: 15 * time.Minute, MaxLockout: 24 * time.Hour, Exponential: ext.Backoff != "constant",
		MaxClientFailures: ext.MaxClientFailures, FailureStatus: ext.FailureStatus, Op: o,
	}
	if ext.MaxFailures != nil {
		g.MaxFailures = *ext.MaxFailures
	}
	if len(g.FailureStatus) == 0 {
		g.FailureStatus = []int{401}
	}
	for _, d := range []struct {
		text, name string
		dst        *time.Duration
	}{{ext.Window, "window", &g.Window}, {ext.Lockout, "lockout", &g.Lockout}, {ext.MaxLockout, "maxLockout", &g.MaxLockout}} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		switch {
		case err != nil:
			b.errorPtr(ptr+"/"+d.name, "not a duration: %q", d.text)
		case v < time.Second:
			b.errorPtr(ptr+"/"+d.name, "%s is under one second; the guard would not hold an attacker back", v)
		default:
			*d.dst = v
		}
	}
	if g.MaxLockout < g.Lockout {
		b.errorPtr(ptr+"/maxLockout", "the longest lockout (%s) is shorter than the first one (%s)", g.MaxLockout, g.Lockout)
	}
	if !b.accountPath(o, g, ptr+"/account") {
		return
	}
	g.AccountFunc = b.check.vars.Take("accountOf" + o.Name)
	o.BruteForce = g
	b.api.Guards = append(b.api.Guards, g)
}

// accountPath resolves the account pointer to a string property of the
// request body and spells how to read it.
func (b *builder) accountPath(o *Operation, g *BruteForce, ptr string) bool {
	if o.Body == nil {
		b.errorPtr(ptr, "the operation takes no request body to read the account from")
		return false
	}
	var t *Type
	field := ""
	for _, c := range o.Body.Contents {
		if c.Type == nil || (t != nil && c.Type != t) {
			b.errorPtr(ptr, "the account must come from a JSON or form body with one schema; this operation's body has %d media types", len(o.Body.Contents))
			return false
		}
		t, field = c.Type, c.Field
	}
	expr := "req." + field
	if c := o.Body.Contents[0]; c.Pointer() {
		g.AccountNil = append(g.AccountNil, expr+" == nil")
	}
	leafPointer := false
	for _, tok := range strings.Split(strings.TrimPrefix(g.AccountPointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		r := resolve(t)
		if r == nil || r.Kind != KindStruct {
			b.errorPtr(ptr, "%q does not name a property of the request body: %s is not an object with properties", g.AccountPointer, expr)
			return false
		}
		var f *Field
		for _, ff := range r.Fields {
			if ff.Name == tok {
				f = ff
			}
		}
		if f == nil {
			b.errorPtr(ptr, "%q does not name a property of the request body: there is no property %q", g.AccountPointer, tok)
			return false
		}
		// Go reaches through pointers to structs by itself; only a nil one
		// needs a test, and only the string at the end a dereference.
		expr += "." + f.GoName
		leafPointer = false
		switch {
		case strings.HasPrefix(f.GoType, "types.Nullable["):
			b.errorPtr(ptr, "%q names a property that may be null; the account must be a plain string", g.AccountPointer)
			return false
		case strings.HasPrefix(f.GoType, "*"):
			g.AccountNil = append(g.AccountNil, expr+" == nil")
			leafPointer = true
		}
		t = f.Type
	}
	if leafPointer {
		expr = "*" + expr
	}
	r := resolve(t)
	switch {
	case r != nil && r.Kind == KindPrimitive && r.Go == "string" && t.Go == "string":
	case r != nil && (r.Kind == KindPrimitive && r.Go == "string" || r.Kind == KindEnum && r.Base == "string"):
		expr = "string(" + expr + ")"
	default:
		b.errorPtr(ptr, "%q must name a string property", g.AccountPointer)
		return false
	}
	g.AccountExpr = expr
	return true
}
