// Package handler implements the operations of the Notes API: each user's
// notes, kept in memory.
//
// secgen created this file once, with every operation answering 501 Not
// Implemented; the operations below are written by hand. The request and
// response types come from the generated package api.
package handler

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/secgen/secgen/runtime/auth"

	"github.com/secgen/secgen/examples/notes/internal/api"
)

// Handler keeps the notes in memory. It is safe for concurrent use.
type Handler struct {
	now func() time.Time

	mu     sync.Mutex
	nextID int64
	notes  map[int64]note
}

// note is a stored note and the user it belongs to.
type note struct {
	owner string
	api.Note
}

// New returns an empty store.
func New() *Handler { return &Handler{now: time.Now, notes: map[int64]note{}} }

// Handler implements every operation of the spec.
var _ api.Handler = (*Handler)(nil)

// notFound is the answer about a note the caller does not have, whether it
// does not exist or belongs to someone else: the two are not told apart.
var notFound = api.Error{Message: "no such note"}

// errNoCaller means a secured operation ran without a principal, which the
// generated router never allows: it answers 500.
var errNoCaller = errors.New("handler: the request carries no authenticated caller")

// caller returns the user the request acts for: the token's subject, or
// the owner of an integration's API key.
func caller(ctx context.Context) (string, error) {
	p, ok := auth.FromContext(ctx)
	if !ok || p.Subject == "" {
		return "", errNoCaller
	}
	return p.Subject, nil
}

// GetHealth handles GET /health: the service is up when it answers.
func (h *Handler) GetHealth(context.Context, api.GetHealthRequest) (api.GetHealthResponse, error) {
	return api.GetHealthOKResponse{Body: api.Health{Status: api.HealthStatusOk}}, nil
}

// ListNotes handles GET /notes: the caller's notes carrying req.Tag (all of
// them without one), newest first, at most req.Limit.
func (h *Handler) ListNotes(ctx context.Context, req api.ListNotesRequest) (api.ListNotesResponse, error) {
	owner, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	list := []api.Note{}
	for _, n := range h.notes {
		if n.owner == owner && (req.Tag == nil || slices.Contains(n.Tags, *req.Tag)) {
			list = append(list, n.Note)
		}
	}
	slices.SortFunc(list, func(a, b api.Note) int { return cmp.Compare(b.ID, a.ID) })
	if len(list) > int(req.Limit) {
		list = list[:req.Limit]
	}
	return api.ListNotesOKResponse{Body: list}, nil
}

// CreateNote handles POST /notes: it stores the note for the caller and
// answers with it and its URL.
func (h *Handler) CreateNote(ctx context.Context, req api.CreateNoteRequest) (api.CreateNoteResponse, error) {
	owner, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	n := api.Note{
		Title:     req.Body.Title,
		Tags:      append([]api.Tag{}, req.Body.Tags...),
		CreatedAt: h.now().UTC().Truncate(time.Second),
	}
	if req.Body.Body != nil {
		n.Body = *req.Body.Body
	}
	h.mu.Lock()
	h.nextID++
	n.ID = h.nextID
	h.notes[n.ID] = note{owner: owner, Note: n}
	h.mu.Unlock()
	return api.CreateNoteCreatedResponse{Location: "/notes/" + strconv.FormatInt(n.ID, 10), Body: n}, nil
}

// GetNote handles GET /notes/{noteId}: one of the caller's notes.
func (h *Handler) GetNote(ctx context.Context, req api.GetNoteRequest) (api.GetNoteResponse, error) {
	owner, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	n, ok := h.notes[req.NoteID]
	if !ok || n.owner != owner {
		return api.GetNoteNotFoundResponse{Body: notFound}, nil
	}
	return api.GetNoteOKResponse{Body: n.Note}, nil
}

// DeleteNote handles DELETE /notes/{noteId}: it deletes one of the
// caller's notes.
func (h *Handler) DeleteNote(ctx context.Context, req api.DeleteNoteRequest) (api.DeleteNoteResponse, error) {
	owner, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	n, ok := h.notes[req.NoteID]
	if !ok || n.owner != owner {
		return api.DeleteNoteNotFoundResponse{Body: notFound}, nil
	}
	delete(h.notes, req.NoteID)
	return api.DeleteNoteNoContentResponse{}, nil
}
