package deploy_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/deploy"
)

// decode decodes one YAML document strictly (unknown or duplicate fields
// fail) into the typed object of its apiVersion and kind.
func decode(doc []byte) (any, error) {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return nil, err
	}
	var obj any
	switch tm.APIVersion + " " + tm.Kind {
	case "v1 ConfigMap":
		obj = &corev1.ConfigMap{}
	case "v1 PersistentVolumeClaim":
		obj = &corev1.PersistentVolumeClaim{}
	case "batch/v1 Job":
		obj = &batchv1.Job{}
	case "batch/v1 CronJob":
		obj = &batchv1.CronJob{}
	default:
		return nil, fmt.Errorf("unexpected apiVersion %q kind %q", tm.APIVersion, tm.Kind)
	}
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// documents splits a multi-document YAML file.
func documents(b []byte) [][]byte {
	var out [][]byte
	for _, d := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(b), -1) {
		if strings.TrimSpace(regexp.MustCompile(`(?m)^#.*$`).ReplaceAllString(d, "")) != "" {
			out = append(out, []byte(d))
		}
	}
	return out
}

func manifests(t *testing.T) map[string][]any {
	t.Helper()
	names, err := fs.Glob(deploy.Files, "k8s/*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	all := map[string][]any{}
	for _, n := range names {
		b, err := fs.ReadFile(deploy.Files, n)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range documents(b) {
			obj, err := decode(d)
			if err != nil {
				t.Errorf("%s, document %d: %v", n, i, err)
				continue
			}
			all[n] = append(all[n], obj)
		}
	}
	return all
}

func TestManifestsDecodeStrictly(t *testing.T) {
	all := manifests(t)
	kinds := map[string]int{}
	for _, objs := range all {
		for _, o := range objs {
			kinds[fmt.Sprintf("%T", o)]++
		}
	}
	want := map[string]int{"*v1.ConfigMap": 1, "*v1.PersistentVolumeClaim": 1, "*v1.Job": 2, "*v1.CronJob": 2}
	if fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Errorf("kinds %v, want %v", kinds, want)
	}
}

func TestStrictDecodingRejectsUnknownFields(t *testing.T) {
	for _, doc := range []string{
		"apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec: {completionMode: Indexed, complétions: 3}\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\ndata: {c: d}\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n",
	} {
		if _, err := decode([]byte(doc)); err == nil {
			t.Errorf("decoded without error:\n%s", doc)
		}
	}
}

// shardCount returns N of the container's --shard auto/N.
func shardCount(t *testing.T, c corev1.Container) int {
	t.Helper()
	m := regexp.MustCompile(`--shard[= ]auto/(\d+)`).FindStringSubmatch(strings.Join(c.Args, " "))
	if m == nil {
		t.Fatalf("container %s: no --shard auto/N in %q", c.Name, c.Args)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func checkPod(t *testing.T, name string, p corev1.PodSpec) {
	t.Helper()
	if p.SecurityContext == nil || p.SecurityContext.RunAsNonRoot == nil || !*p.SecurityContext.RunAsNonRoot {
		t.Errorf("%s: pods must run as non-root", name)
	}
	for _, c := range p.Containers {
		if c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
			t.Errorf("%s: container %s has no memory request and limit", name, c.Name)
		}
	}
}

func checkShards(t *testing.T, name string, spec batchv1.JobSpec) int {
	t.Helper()
	if spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("%s: completionMode must be Indexed", name)
	}
	c := spec.Template.Spec.Containers[0]
	n := shardCount(t, c)
	if spec.Completions == nil || int(*spec.Completions) != n {
		t.Errorf("%s: completions %v, want the shard count %d", name, spec.Completions, n)
	}
	if !strings.Contains(strings.Join(c.Args, " "), "JOB_COMPLETION_INDEX") {
		t.Errorf("%s: the shard folder must be named by JOB_COMPLETION_INDEX", name)
	}
	checkPod(t, name, spec.Template.Spec)
	return n
}

// checkMerge checks that the merge lists shard-0 … shard-(n-1).
func checkMerge(t *testing.T, name string, spec batchv1.JobSpec, n int) {
	t.Helper()
	args := strings.Join(spec.Template.Spec.Containers[0].Args, " ")
	for i := range n + 1 {
		has := strings.Contains(args, fmt.Sprintf("shard-%d", i))
		if has != (i < n) {
			t.Errorf("%s: shard-%d listed: %v, want %v (shards: %d)", name, i, has, i < n, n)
		}
	}
	checkPod(t, name, spec.Template.Spec)
}

func TestManifestsAgree(t *testing.T) {
	all := manifests(t)
	shards := all["k8s/job-shards.yaml"][0].(*batchv1.Job)
	n := checkShards(t, "job-shards", shards.Spec)
	checkMerge(t, "job-merge", all["k8s/job-merge.yaml"][0].(*batchv1.Job).Spec, n)
	cron := all["k8s/cronjob.yaml"]
	cn := checkShards(t, "cronjob shards", cron[0].(*batchv1.CronJob).Spec.JobTemplate.Spec)
	checkMerge(t, "cronjob merge", cron[1].(*batchv1.CronJob).Spec.JobTemplate.Spec, cn)
	pvc := all["k8s/pvc.yaml"][0].(*corev1.PersistentVolumeClaim)
	if len(pvc.Spec.AccessModes) != 1 || pvc.Spec.AccessModes[0] != corev1.ReadWriteMany {
		t.Errorf("pvc: access modes %v, want ReadWriteMany", pvc.Spec.AccessModes)
	}
	// The ConfigMap's TOML is a config vingt reads.
	cm := all["k8s/configmap.yaml"][0].(*corev1.ConfigMap)
	path := filepath.Join(t.TempDir(), "vingt.toml")
	if err := os.WriteFile(path, []byte(cm.Data["vingt.toml"]), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := coverage.LoadConfig(path)
	if err != nil {
		t.Fatalf("configmap vingt.toml: %v", err)
	}
	cfg.Shard = fmt.Sprintf("auto/%d", n)
	t.Setenv(coverage.ShardIndexEnv, strconv.Itoa(n-1))
	if job, err := cfg.Job(); err != nil || job.Shard.Index != n-1 {
		t.Errorf("configmap vingt.toml with --shard auto/%d: %v, %v", n, job.Shard, err)
	}
}

// TestDockerBuild builds the image when docker is present.
func TestDockerBuild(t *testing.T) {
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("docker is not on PATH: the image is not built")
	}
	if out, err := exec.Command("docker", "info").CombinedOutput(); err != nil {
		t.Skipf("docker is on PATH but its daemon does not answer (%v): the image is not built\n%s", err, out)
	}
	if testing.Short() {
		t.Skip("building the image takes minutes: not with -short")
	}
	cmd := exec.Command("docker", "build", "-f", "Dockerfile", "-t", "vingt:test", "..")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out.String())
	}
	run := exec.Command("docker", "run", "--rm", "vingt:test", "run", "--shard", "3/2")
	b, _ := run.CombinedOutput()
	if !strings.Contains(string(b), "index 3 must be within 0–1") {
		t.Errorf("the image's vingt run --shard 3/2 said %q", b)
	}
}
