package votetest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// SubmissionOpener opens a submission store on a new, empty database, and
// reopen, which opens another store on the same database.
type SubmissionOpener func(t *testing.T) (s SubmissionStore, reopen func(t *testing.T) SubmissionStore)

// SubmissionStore is a store of votes and submissions, as the function
// opens one.
type SubmissionStore interface {
	vote.Store
	vote.SubmissionStore
}

// RunSubmissions runs the submission store's conformance suite.
func RunSubmissions(t *testing.T, open SubmissionOpener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s SubmissionStore, reopen func(t *testing.T) SubmissionStore)
	}{
		{"SubmitAndRead", testSubmitAndRead},
		{"Quota", testSubmissionQuota},
		{"ConcurrentQuota", testConcurrentSubmissionQuota},
		{"ProofOnce", testSubmissionProofOnce},
		{"DuplicateReceipt", testDuplicateReceipt},
		{"Status", testSubmissionStatus},
		{"Forget", testForget},
		{"Purge", testPurge},
		{"Forms", testForms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, reopen := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s, reopen)
		})
	}
}

var subAt = time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)

// Sample returns a submission with n photos whose bytes are derived from
// receipt, so that a reader can check they came back intact.
func Sample(receipt string, n int) vote.Submission {
	s := vote.Submission{
		Receipt: receipt, At: subAt, Lang: "en", Kind: "photo", Title: "Title " + receipt, Body: "Body *" + receipt + "*",
		Place: "Harbour", Contest: "summer", Category: "nature", Name: "Aino K.", License: "CC-BY-4.0",
		Consent: "v2", Email: "aino@example.org", Network: []byte("net-" + receipt),
	}
	for i := 1; i <= n; i++ {
		s.Media = append(s.Media, vote.Media{Index: i, Format: "jpeg", Alt: fmt.Sprintf("alt %d", i), Caption: "c", Data: SampleData(receipt, i)})
	}
	return s
}

// SampleData is the photo i of Sample(receipt): 64 KiB that depend on both.
func SampleData(receipt string, i int) []byte {
	return bytes.Repeat([]byte(fmt.Sprintf("%s/%d;", receipt, i)), 64<<10/(len(receipt)+4))
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// CheckIntact fails unless the store holds the sample submission receipt
// with its n photos, byte for byte.
func CheckIntact(t *testing.T, s vote.SubmissionStore, receipt string, n int) {
	t.Helper()
	got, err := s.Submission(ctx(t), receipt)
	if err != nil {
		t.Errorf("submission %s: %v", receipt, err)
		return
	}
	want := Sample(receipt, n)
	if got.Title != want.Title || got.Body != want.Body || got.Consent != "v2" || got.Email != want.Email || len(got.Media) != n || got.MediaCount != n {
		t.Errorf("submission %s came back as %+v (%d media)", receipt, got, len(got.Media))
		return
	}
	for i, m := range got.Media {
		if m.Index != i+1 || m.Alt != want.Media[i].Alt || !bytes.Equal(m.Data, want.Media[i].Data) {
			t.Errorf("submission %s: photo %d is not intact", receipt, i+1)
		}
	}
}

func testSubmitAndRead(t *testing.T, s SubmissionStore, reopen func(t *testing.T) SubmissionStore) {
	if err := s.Submit(ctx(t), Sample("r1", 2), vote.Quota{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(ctx(t), Sample("r2", 0), vote.Quota{}); err != nil {
		t.Fatal(err)
	}
	CheckIntact(t, s, "r1", 2)
	list, err := s.Submissions(ctx(t), vote.SubmissionNew)
	if err != nil || len(list) != 2 || list[0].Receipt != "r1" || list[0].MediaCount != 2 || list[0].Media != nil ||
		list[0].Status != vote.SubmissionNew || !list[0].At.Equal(subAt) || list[0].Email != "aino@example.org" {
		t.Fatalf("list: %+v, %v", list, err)
	}
	if _, err := s.Submission(ctx(t), "nope"); vote.ErrorCode(err) != vote.NotFound {
		t.Errorf("unknown receipt: %v", err)
	}
	r := reopen(t)
	defer r.Close()
	CheckIntact(t, r, "r1", 2)
}

func testSubmissionQuota(t *testing.T, s SubmissionStore, _ func(t *testing.T) SubmissionStore) {
	q := vote.Quota{Network: []byte("n1"), Limit: 2}
	for i := range 2 {
		if err := s.Submit(ctx(t), Sample(fmt.Sprint("q", i), 1), q); err != nil {
			t.Fatal(err)
		}
	}
	err := s.Submit(ctx(t), Sample("q9", 1), q)
	if vote.ErrorCode(err) != vote.TooMany {
		t.Fatalf("over quota: %v", err)
	}
	if _, err := s.Submission(ctx(t), "q9"); vote.ErrorCode(err) != vote.NotFound {
		t.Errorf("a refused submission was recorded: %v", err)
	}
	// Form posts count apart, another network and another day too.
	if err := s.Submit(ctx(t), Sample("f1", 0), vote.Quota{Network: []byte("n1"), Limit: 2, Form: true}); err != nil {
		t.Error(err)
	}
	if err := s.Submit(ctx(t), Sample("o1", 0), vote.Quota{Network: []byte("n2"), Limit: 2}); err != nil {
		t.Error(err)
	}
	next := Sample("d1", 0)
	next.At = subAt.Add(24 * time.Hour)
	if err := s.Submit(ctx(t), next, q); err != nil {
		t.Error(err)
	}
}

func testConcurrentSubmissionQuota(t *testing.T, s SubmissionStore, _ func(t *testing.T) SubmissionStore) {
	const n, limit = 12, 5
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Submit(ctx(t), Sample(fmt.Sprint("c", i), 1), vote.Quota{Network: []byte("n"), Limit: limit})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch vote.ErrorCode(err) {
		case "":
			ok++
		case vote.TooMany:
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	list, _ := s.Submissions(ctx(t), "")
	if ok != limit || len(list) != limit {
		t.Errorf("%d accepted, %d stored; want %d", ok, len(list), limit)
	}
}

func testSubmissionProofOnce(t *testing.T, s SubmissionStore, _ func(t *testing.T) SubmissionStore) {
	q := vote.Quota{Proof: []byte("nonce-1")}
	if err := s.Submit(ctx(t), Sample("p1", 0), q); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(ctx(t), Sample("p2", 0), q); vote.ErrorCode(err) != vote.Forbidden {
		t.Errorf("proof used twice: %v", err)
	}
}

func testDuplicateReceipt(t *testing.T, s SubmissionStore, _ func(t *testing.T) SubmissionStore) {
	if err := s.Submit(ctx(t), Sample("d", 1), vote.Quota{}); err != nil {
		t.Fatal(err)
	}
	dup := Sample("d", 2)
	dup.Title = "other"
	if err := s.Submit(ctx(t), dup, vote.Quota{}); err == nil {
		t.Fatal("a receipt was used twice")
	}
	CheckIntact(t, s, "d", 1)
}

func testSubmissionStatus(t *testing.T, s SubmissionStore, _ func(t *testing.T) SubmissionStore) {
	for _, r := range []string{"a", "b"} {
		if err := s.Submit(ctx(t), Sample(r, 0), vote.Quota{}); err != nil {
			t.Fatal(err)
		}
	}
	later := subAt.Add(time.Hour)
	if err := s.SetStatus(ctx(t), "a", vote.SubmissionRejected, "spam", later); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx(t), "zz", vote.SubmissionPulled, "", later); vote.ErrorCode(err) != vote.NotFound {
		t.Errorf("unknown receipt: %v", err)
	}
	list, _ := s.Submissions(ctx(t), vote.SubmissionRejected)
	if len(list) != 1 || list[0].Reason != "spam" || !list[0].StatusAt.Equal(later) {
		t.Errorf("rejected: %+v", list)
	}
	list, _ = s.Submissions(ctx(t), vote.SubmissionNew)
	if len(list) != 1 || list[0].Receipt != "b" {
		t.Errorf("new: %+v", list)
	}
}

func testForget(t *testing.T, s SubmissionStore, _ func(t *testing.T) SubmissionStore) {
	if err := s.Submit(ctx(t), Sample("f", 2), vote.Quota{}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Forget(ctx(t), "f"); !ok || err != nil {
		t.Fatalf("forget: %v %v", ok, err)
	}
	if ok, _ := s.Forget(ctx(t), "f"); ok {
		t.Error("forgot twice")
	}
	if _, err := s.Submission(ctx(t), "f"); vote.ErrorCode(err) != vote.NotFound {
		t.Errorf("after forget: %v", err)
	}
}

func testPurge(t *testing.T, s SubmissionStore, _ func(t *testing.T) SubmissionStore) {
	for _, r := range []string{"old", "new"} {
		if err := s.Submit(ctx(t), Sample(r, 1), vote.Quota{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetStatus(ctx(t), "old", vote.SubmissionPulled, "", subAt); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveForm(ctx(t), "tok", []byte("{}"), subAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Purge(ctx(t), subAt.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Contacts != 2 || rep.Media != 1 || rep.Forms != 1 {
		t.Errorf("purge: %+v", rep)
	}
	old, _ := s.Submission(ctx(t), "old")
	if old.Email != "" || len(old.Media) != 0 || old.Title == "" || old.Consent != "v2" {
		t.Errorf("old after purge: %+v", old)
	}
	CheckIntactMedia(t, s, "new")
}

// CheckIntactMedia checks that a sample's one photo is still there.
func CheckIntactMedia(t *testing.T, s vote.SubmissionStore, receipt string) {
	t.Helper()
	got, err := s.Submission(ctx(t), receipt)
	if err != nil || len(got.Media) != 1 || !bytes.Equal(got.Media[0].Data, SampleData(receipt, 1)) {
		t.Errorf("%s: media not intact (%v)", receipt, err)
	}
}

func testForms(t *testing.T, s SubmissionStore, _ func(t *testing.T) SubmissionStore) {
	if err := s.SaveForm(ctx(t), "t1", []byte(`{"a":1}`), subAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if b, err := s.GetForm(ctx(t), "t1", subAt); err != nil || string(b) != `{"a":1}` {
		t.Errorf("get: %q %v", b, err)
	}
	if _, err := s.GetForm(ctx(t), "t1", subAt.Add(time.Hour)); vote.ErrorCode(err) != vote.NotFound {
		t.Errorf("expired: %v", err)
	}
	if _, err := s.GetForm(ctx(t), "t2", subAt); vote.ErrorCode(err) != vote.NotFound {
		t.Errorf("unknown: %v", err)
	}
}
