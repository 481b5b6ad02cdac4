module github.com/vingt/vingt

go 1.26.8

require github.com/spf13/cobra v1.10.2

require (
	github.com/BurntSushi/toml v1.5.0 // indirect
	github.com/apache/arrow-go/v18 v18.8.0 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/paulmach/orb v0.14.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
	github.com/twpayne/go-geos v0.20.4 // indirect
	github.com/twpayne/go-proj/v11 v11.0.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/term v0.45.0 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)
