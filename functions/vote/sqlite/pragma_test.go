package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// TestDurabilitySettings checks the write connection's settings that make a
// commit durable before Cast returns.
func TestDurabilitySettings(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "votes.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for pragma, want := range map[string]string{
		"journal_mode":       "wal",
		"synchronous":        "2", // FULL
		"busy_timeout":       "10000",
		"wal_autocheckpoint": "0", // checkpoints run in the background
	} {
		var got string
		if err := s.w.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
}
