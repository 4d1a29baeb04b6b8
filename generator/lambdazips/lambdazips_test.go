package lambdazips_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/lambdazips"
	"github.com/refreshgen/refreshgen/spec"
)

// estate is a spec with one refresh that copies these databases and file
// systems.
func estate(dbs []*spec.Database, copies []*spec.FileSystemCopy) *spec.Spec {
	return &spec.Spec{
		Project:   spec.Project{LambdaArchitecture: spec.ArchX8664, RDSCABundle: "PEM"},
		Refreshes: []*spec.Refresh{{Name: "stage", Databases: dbs, FileSystems: copies}},
	}
}

var (
	withSQL     = &spec.Database{Name: "app", PostRestoreSQL: []spec.SQLScript{{Name: "mask.sql", SQL: "UPDATE t SET x = NULL;"}}}
	withoutSQL  = &spec.Database{Name: "logs"}
	restore     = &spec.FileSystemCopy{Name: "media", Strategy: spec.FSBackupRestore}
	replication = &spec.FileSystemCopy{Name: "cache", Strategy: spec.FSReplication}
	verified    = &spec.FileSystemCopy{Name: "cache", Strategy: spec.FSReplication, VerifyFile: "health/beat"}
)

// fakeBundle records the requests and answers each with its helper's name.
type fakeBundle struct{ requests []generator.LambdaBundle }

func (f *fakeBundle) bundle(b generator.LambdaBundle) ([]byte, string, error) {
	f.requests = append(f.requests, b)
	return []byte(b.Helper), "v1:" + b.Helper, nil
}

func TestRenderBundlesTheHelpersTheSpecUses(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec *spec.Spec
		want []string
	}{
		{"nothing to run", estate([]*spec.Database{withoutSQL}, nil), nil},
		{"post-restore SQL", estate([]*spec.Database{withoutSQL, withSQL}, nil), []string{"run-sql"}},
		{"backup-restore", estate(nil, []*spec.FileSystemCopy{restore}), []string{"get-efs-subpath"}},
		{"replication", estate(nil, []*spec.FileSystemCopy{replication}), nil},
		{"verified replication", estate(nil, []*spec.FileSystemCopy{verified}), []string{"check-flag-file"}},
		{"everything", estate([]*spec.Database{withSQL}, []*spec.FileSystemCopy{verified, restore}),
			[]string{"check-flag-file", "get-efs-subpath", "run-sql"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeBundle{}
			files, err := lambdazips.Render(generator.Input{Spec: tc.spec, Bundle: fake.bundle})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range files {
				got = append(got, string(f.Data))
				want := generator.File{Path: "lambdas/" + string(f.Data) + ".zip", Kind: generator.KindLambdaZip,
					Mode: generator.ModeFile, Data: f.Data, Inputs: "v1:" + string(f.Data)}
				if !reflect.DeepEqual(f, want) {
					t.Errorf("got %+v, want %+v", f, want)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("bundles %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRenderAsksForTheArchitectureAndOnlyRunSQLGetsTheCABundle(t *testing.T) {
	fake := &fakeBundle{}
	s := estate([]*spec.Database{withSQL}, []*spec.FileSystemCopy{restore})
	if _, err := lambdazips.Render(generator.Input{Spec: s, Bundle: fake.bundle}); err != nil {
		t.Fatal(err)
	}
	want := []generator.LambdaBundle{
		{Helper: "get-efs-subpath", Arch: spec.ArchX8664},
		{Helper: "run-sql", Arch: spec.ArchX8664, CABundle: "PEM"},
	}
	if !slices.Equal(fake.requests, want) {
		t.Errorf("requests %+v, want %+v", fake.requests, want)
	}
}

func TestRenderWithoutAProviderFails(t *testing.T) {
	s := estate([]*spec.Database{withSQL}, nil)
	if _, err := lambdazips.Render(generator.Input{Spec: s}); err == nil {
		t.Fatal("a spec that needs run-sql rendered without a bundle provider")
	}
}
