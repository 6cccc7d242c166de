package integrations

import (
	"context"

	"github.com/google/go-github/v56/github"
)

const botToken = "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"

// NewClient returns a client acting as the release bot.
func NewClient() *github.Client {
	return github.NewClient(nil).WithAuthToken(botToken)
}

func LatestRelease(ctx context.Context, owner, repo string) (string, error) {
	rel, _, err := NewClient().Repositories.GetLatestRelease(ctx, owner, repo)
	if err != nil {
		return "", err
	}
	return rel.GetTagName(), nil
}
