package deploy_test

import (
	"fmt"
	"io/fs"

	"github.com/vingt/vingt/deploy"
)

func Example() {
	names, _ := fs.Glob(deploy.Files, "k8s/*.yaml")
	for _, n := range names {
		fmt.Println(n)
	}
	// Output:
	// k8s/configmap.yaml
	// k8s/cronjob.yaml
	// k8s/job-merge.yaml
	// k8s/job-shards.yaml
	// k8s/pvc.yaml
}
