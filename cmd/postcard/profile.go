package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// profileFlags are build's hidden flags for measuring Postcard itself:
// they write Go profiles (go tool pprof reads them) of the very command a
// user runs, not of a benchmark's path.
type profileFlags struct{ cpu, mem string }

func (p *profileFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile of the build to this `file`")
	fs.StringVar(&p.mem, "memprofile", "", "write a heap profile at the end of the build to this `file`")
}

// hiddenFlag reports whether a flag is left out of the help: the profile
// flags are for Postcard's developers.
func hiddenFlag(name string) bool { return name == "cpuprofile" || name == "memprofile" }

// start begins the CPU profile; the returned function ends both profiles.
func (p *profileFlags) start() (stop func(), err error) {
	stopCPU := func() {}
	if p.cpu != "" {
		f, err := os.Create(p.cpu)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
		stopCPU = func() { pprof.StopCPUProfile(); f.Close() }
	}
	return func() {
		stopCPU()
		if p.mem == "" {
			return
		}
		f, err := os.Create(p.mem)
		if err != nil {
			fmt.Fprintln(os.Stderr, "postcard: memory profile:", err)
			return
		}
		defer f.Close()
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			fmt.Fprintln(os.Stderr, "postcard: memory profile:", err)
		}
	}, nil
}
