package model

import "testing"

func TestGoName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"snake case becomes camel case with initialisms", "pet_id", "PetID"},
		{"camel case keeps its words", "petId", "PetID"},
		{"kebab case is split", "created-at", "CreatedAt"},
		{"a leading digit gets a letter in front", "2fa", "N2fa"},
		{"an empty string still yields a name", "", "Empty"},
		{"punctuation only still yields a name", "-+-", "Empty"},
		{"an acronym run is split before the next word", "HTTPServer", "HTTPServer"},
		{"url is an initialism", "callback_url", "CallbackURL"},
		{"a leading underscore is dropped", "_private", "Private"},
		{"quotes and backquotes cannot survive", "a\"b`c", "ABC"},
		{"letters of other scripts are kept", "größe", "Größe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GoName(tt.in); got != tt.want {
				t.Errorf("GoName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNamespaceTakesFreeNames(t *testing.T) {
	ns := NewNamespace("Handler")
	got := []string{ns.Take("Pet"), ns.Take("Pet"), ns.Take("pet"), ns.Take("Handler")}
	want := []string{"Pet", "Pet2", "pet3", "Handler2"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("take %d = %q, want %q", i, got[i], want[i])
		}
	}
}
