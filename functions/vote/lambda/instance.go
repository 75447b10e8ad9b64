package lambda

import (
	"context"
	"encoding/json"
	"log/slog"
)

// Instance is one instance of the function as the runtime starts it, for
// a program that drives many in one process without a runtime: the vote
// benchmark's load test runs hundreds, each with its own store, to measure
// the database behind a pooler as a busy contest would load it.
type Instance struct {
	a *adapter
}

// NewInstance checks the configuration and opens the store exactly as Main
// does (getenv stands for the environment), ready for events.
func NewInstance(ctx context.Context, manifest []byte, getenv func(string) string, logger *slog.Logger) (*Instance, error) {
	a, err := setup(ctx, manifest, getenv, logger)
	if err != nil {
		return nil, err
	}
	return &Instance{a: a}, nil
}

// Invoke answers one API Gateway proxy event (payload 1.0 or 2.0) as the
// runtime would have the function answer it.
func (i *Instance) Invoke(ctx context.Context, event json.RawMessage) (any, error) {
	return i.a.invoke(ctx, event)
}

// Close closes the instance's store, as the host does when it retires an
// instance.
func (i *Instance) Close() error {
	return i.a.store.Close()
}
