// Command lambda is the voting function for AWS Lambda (runtime
// provided.al2023, built as "bootstrap") and Netlify Functions.
//
// The contest manifest is compiled in: manifest.json in this folder is empty
// in the repository, and `postcard build` (generator/function) compiles this
// package with `go build -overlay` mapping that file to the site's manifest,
// so the source tree is never written to. A binary built without it refuses
// to start.
//
// Configuration comes from the environment:
//
//	POSTCARD_VOTE_SECRET      required: at least 32 characters, signs voter cookies
//	POSTCARD_VOTE_DB          required: a postgres:// URL (SQLite is refused:
//	                          Lambda's disk is ephemeral)
//	POSTCARD_VOTE_RATE_LIMIT  requests per minute per client, per instance; 0 = off (default 30)
//	POSTCARD_TURNSTILE_SECRET optional: require a Cloudflare Turnstile token
//	POSTCARD_CLIENT_IP_HEADER optional: a header the platform sets and clients
//	                          cannot (Netlify: x-nf-client-connection-ip), used
//	                          when the event carries no source address
//
// The client address for the rate limit is the platform's: requestContext
// sourceIp of API Gateway (REST and HTTP APIs) and function URLs, never a
// header the client sent.
package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/postgres"
)

//go:embed manifest.json
var manifest []byte

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h, err := setup(context.Background(), manifest, os.Getenv, logger)
	if err != nil {
		logger.Error("voting function: cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(h.invoke)
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
	store, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	h, err := vote.NewHandler(vote.Config{
		Manifest:   m,
		Store:      store,
		Secret:     []byte(secret),
		RateLimit:  limit,
		ClientAddr: vote.ContextAddr{},
		Challenge:  challenge,
		Logger:     logger,
	})
	if err != nil {
		store.Close()
		return nil, err
	}
	return &adapter{h: h, ipHeader: getenv("POSTCARD_CLIENT_IP_HEADER")}, nil
}
