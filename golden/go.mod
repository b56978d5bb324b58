module github.com/secgen/secgen/golden

go 1.26.0

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/secgen/secgen v0.0.0
)

require github.com/dlclark/regexp2/v2 v2.13.0 // indirect

replace github.com/secgen/secgen => ../
