module github.com/secgen/secgen/golden

go 1.26.0

require (
	github.com/go-chi/chi/v5 v5.5.0
	github.com/go-chi/httprate v0.16.1
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/secgen/secgen v0.0.0
)

require (
	github.com/MicahParks/jwkset v0.11.4 // indirect
	github.com/dlclark/regexp2/v2 v2.13.0 // indirect
	github.com/klauspost/cpuid/v2 v2.2.10 // indirect
	github.com/rs/cors v1.11.1 // indirect
	github.com/zeebo/xxh3 v1.0.2 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/time v0.15.0 // indirect
)

replace github.com/secgen/secgen => ../
