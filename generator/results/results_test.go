package results

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	r, err := Parse("r.csv", []byte("contest,entry,title,category,votes\nautumn,pier,\"The pier, at dawn\",landscape,12\nautumn,boat,Boat,words,0\nsummer,x,X,y,3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := r["autumn"]["pier"]; got.Votes != 12 || got.Pos.Line != 2 {
		t.Errorf("pier = %+v", got)
	}
	if len(r["autumn"]) != 2 || r["summer"]["x"].Votes != 3 {
		t.Errorf("results = %+v", r)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", "r.csv:1: empty results file"},
		{"contest,entry\n", `r.csv:1:1: the header has no "votes" column`},
		{"contest,entry,votes\na,b,many\n", `r.csv:2:1: votes "many" is not a count`},
		{"contest,entry,votes\na,b,-1\n", `r.csv:2:1: votes "-1" is not a count`},
		{"contest,entry,votes\na,b,1\na,b,2\n", `r.csv:3:1: entry "b" of contest "a" is listed twice (first at line 2)`},
		{"contest,entry,votes\n,b,1\n", "r.csv:2:1: contest and entry must not be empty"},
		{"contest,entry,votes\n\"a,b,1\n", "r.csv:2:"},
	}
	for _, tt := range tests {
		_, err := Parse("r.csv", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.src, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("contest,entry,votes\na,b,1\n"))
	f.Add([]byte("votes,entry,contest\n3,x,y\n\"q\"\"\",z,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("f.csv", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("error without the file's name: %v", err)
			}
			return
		}
		for _, entries := range r {
			for _, c := range entries {
				if c.Votes < 0 {
					t.Fatalf("negative count %d", c.Votes)
				}
			}
		}
	})
}
