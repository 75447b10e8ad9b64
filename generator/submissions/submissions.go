// Package submissions is the editor's side of the submission form: it
// lists what the voting function's store received, pulls new submissions
// into the content folder as `submitted` story bundles for review in Git,
// rejects spam, shows contacts, purges old private data and forgets a
// contributor who withdraws consent.
//
// It exists apart from the build because it writes into content/, which
// no build stage does, and because it is where the private store and the
// public repository meet: what crosses is decided here, and only here.
// The contact e-mail and the network key never cross; photos cross only
// re-encoded from pixels (images.Clean), so no metadata of the original
// does; the consent crosses as the story's [rights] block, with the
// consent text's version and the receipt id that finds the story again.
package submissions

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// List writes the submissions in status ("" for all) as a table: receipt,
// date, status, kind, contest, title and contributor.
func List(ctx context.Context, store vote.SubmissionStore, status string, w io.Writer) error {
	switch status {
	case "", vote.SubmissionNew, vote.SubmissionPulled, vote.SubmissionRejected:
	default:
		return fmt.Errorf("--status %q: want new, pulled or rejected", status)
	}
	subs, err := store.Submissions(ctx, status)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RECEIPT\tDATE\tSTATUS\tKIND\tCONTEST\tTITLE\tCONTRIBUTOR")
	for _, s := range subs {
		contest := s.Contest
		if contest == "" {
			contest = "-"
		} else if s.Category != "" {
			contest += "/" + s.Category
		}
		status := s.Status
		if s.Reason != "" {
			status += " (" + oneLine(s.Reason) + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Receipt, s.At.UTC().Format("2006-01-02 15:04"), status, s.Kind, contest, oneLine(s.Title), oneLine(s.Name))
	}
	return tw.Flush()
}

// Contacts writes the contact of each submission (or of the one receipt):
// what an editor needs to thank or ask a contributor, and to review abuse.
func Contacts(ctx context.Context, store vote.SubmissionStore, receipt string, w io.Writer) error {
	var subs []vote.Submission
	if receipt != "" {
		s, err := store.Submission(ctx, receipt)
		if err != nil {
			return err
		}
		subs = []vote.Submission{s}
	} else {
		var err error
		if subs, err = store.Submissions(ctx, ""); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RECEIPT\tDATE\tCONTRIBUTOR\tEMAIL\tNETWORK")
	for _, s := range subs {
		email, network := s.Email, "-"
		if email == "" {
			email = "-"
		}
		if len(s.Network) >= 8 {
			network = fmt.Sprintf("%x", s.Network[:8])
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Receipt, s.At.UTC().Format("2006-01-02"), oneLine(s.Name), email, network)
	}
	return tw.Flush()
}

// Reject marks a submission rejected, with the reason, at now.
func Reject(ctx context.Context, store vote.SubmissionStore, receipt, reason string, now time.Time) error {
	if strings.TrimSpace(reason) == "" {
		return fmt.Errorf("give a --reason")
	}
	return store.SetStatus(ctx, receipt, vote.SubmissionRejected, reason, now)
}

// ParseAge reads --older-than: a number of days ("90d") or a Go duration
// ("36h").
func ParseAge(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(d, "%d", &n); err == nil && n >= 0 && fmt.Sprint(n) == d {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not an age such as 90d or 36h", s)
	}
	return d, nil
}

// oneLine keeps a stored string on one line of a table.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
