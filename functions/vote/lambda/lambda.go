// Package lambda is the voting function for AWS Lambda (runtime
// provided.al2023, run as "bootstrap") and Netlify Functions. Two programs
// run it: the `postcard` binary itself, when it finds itself started by a
// Lambda runtime (ShouldRun), and the small bootstrap/ program that
// `postcard build` compiles for an architecture it cannot copy itself to.
//
// The contest manifest is read at start from, in order: the file named by
// POSTCARD_VOTE_MANIFEST; the manifest attached to the executable itself
// (vote.AttachManifest, as `postcard build` writes every bootstrap); and
// manifest.json beside the executable. Without one the function refuses
// to start.
//
// Configuration comes from the environment:
//
//	POSTCARD_VOTE_SECRET      required: at least 32 characters, signs voter cookies
//	POSTCARD_VOTE_DB          required: a postgres:// URL (SQLite is refused:
//	                          Lambda's disk is ephemeral)
//	POSTCARD_VOTE_MANIFEST    optional: the contest manifest's file, instead of the attached one
//	POSTCARD_VOTE_RATE_LIMIT  requests per minute per client, per instance; 0 = off (default 30)
//	POSTCARD_TURNSTILE_SECRET optional: require a Cloudflare Turnstile token
//	POSTCARD_CLIENT_IP_HEADER optional: a header the platform sets and clients
//	                          cannot (Netlify: x-nf-client-connection-ip), used
//	                          when the event carries no source address
//
// The function serves the submission endpoint beside the vote API (see
// package submission), with a 4 MB cap on a request unless the manifest
// sets max_request_bytes: Lambda and Netlify take about 6 MB, base64-encoded.
//
// The client address for the rate limit is the platform's: requestContext
// sourceIp of API Gateway (REST and HTTP APIs) and function URLs, never a
// header the client sent.
package lambda

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/postgres"
	"github.com/postcard-ssg/postcard/functions/vote/submission"
)

// ManifestEnv names the variable that points the function at a manifest file.
const ManifestEnv = "POSTCARD_VOTE_MANIFEST"

// ShouldRun reports whether a program started as argv0 with this
// environment was started by a Lambda runtime (Lambda's provided runtimes
// and Netlify set AWS_LAMBDA_RUNTIME_API) or deployed as "bootstrap".
func ShouldRun(getenv func(string) string, argv0 string) bool {
	return getenv("AWS_LAMBDA_RUNTIME_API") != "" || filepath.Base(argv0) == "bootstrap"
}

// Main runs the function until the runtime stops it; it returns only when
// the function cannot start, with the process exit code.
func Main() int {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	manifest, err := ReadManifest(os.Getenv, exe)
	if err == nil {
		var h *adapter
		if h, err = setup(context.Background(), manifest, os.Getenv, logger); err == nil {
			awslambda.Start(h.invoke)
			return 0
		}
	}
	logger.Error("voting function: cannot start", "err", err)
	return 1
}

// ReadManifest finds the contest manifest of the function running as exe
// (see the package documentation for where it looks).
func ReadManifest(getenv func(string) string, exe string) ([]byte, error) {
	if p := getenv(ManifestEnv); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ManifestEnv, err)
		}
		return b, nil
	}
	b, err := vote.AttachedManifest(exe)
	if err == nil {
		return b, nil
	}
	if !errors.Is(err, vote.ErrNoAttachedManifest) {
		return nil, err
	}
	b, err = os.ReadFile(filepath.Join(filepath.Dir(exe), "manifest.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no contest manifest: deploy the bootstrap that `postcard build` writes to %s/, or set %s", vote.DistDir, ManifestEnv)
	}
	return b, err
}

// setup checks the configuration and opens the store.
func setup(ctx context.Context, manifest []byte, getenv func(string) string, logger *slog.Logger) (*adapter, error) {
	if len(strings.TrimSpace(string(manifest))) == 0 {
		return nil, errors.New("built without a contest manifest: build the function with `postcard build`")
	}
	m, err := vote.ParseManifest(manifest)
	if err != nil {
		return nil, err
	}
	secret := getenv("POSTCARD_VOTE_SECRET")
	if len(secret) < 32 {
		return nil, errors.New("POSTCARD_VOTE_SECRET must be set to at least 32 random characters: the function does not start without it")
	}
	dsn := getenv("POSTCARD_VOTE_DB")
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return nil, errors.New("POSTCARD_VOTE_DB: SQLite cannot be used on Lambda or Netlify: the disk is ephemeral and votes would be lost; use a postgres:// database")
	case !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://"):
		return nil, errors.New("POSTCARD_VOTE_DB must be a postgres:// URL")
	}
	limit := 30
	if s := getenv("POSTCARD_VOTE_RATE_LIMIT"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 0 {
			return nil, fmt.Errorf("POSTCARD_VOTE_RATE_LIMIT %q: want a number of requests per minute, 0 for none", s)
		}
	}
	var challenge vote.Challenge
	if s := getenv("POSTCARD_TURNSTILE_SECRET"); s != "" {
		challenge = vote.Turnstile{Secret: s}
	}
	// One connection per instance, and nothing kept between transactions:
	// a host may run hundreds of instances, through a pooler.
	store, err := postgres.OpenServerless(ctx, dsn)
	if err != nil {
		return nil, err
	}
	h, err := submission.Mount(vote.Config{
		Manifest:   m,
		Store:      store,
		Secret:     []byte(secret),
		RateLimit:  limit,
		ClientAddr: vote.ContextAddr{},
		Challenge:  challenge,
		Logger:     logger,
	}, vote.ServerlessMaxRequest)
	if err != nil {
		store.Close()
		return nil, err
	}
	return &adapter{h: h, ipHeader: getenv("POSTCARD_CLIENT_IP_HEADER"), store: store}, nil
}
