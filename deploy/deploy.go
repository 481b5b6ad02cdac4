// Package deploy holds what runs vingt on a cluster: the Dockerfile of its
// image and the Kubernetes manifests (k8s/: a ConfigMap with the run's
// TOML, a ReadWriteMany volume, an Indexed Job of shards, the merge Job
// and a nightly CronJob variant), embedded so that tests and tools read
// exactly the files that are shipped. README's "Running on Kubernetes"
// section says how a cluster admin uses them.
package deploy

import "embed"

// Files are the Dockerfile and the manifests under k8s/.
//
//go:embed Dockerfile k8s/*.yaml
var Files embed.FS
