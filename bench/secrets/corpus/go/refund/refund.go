package refund

import (
	"context"
	"time"
)

type Refund struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
}

type Store interface {
	Get(ctx context.Context, id string) (*Refund, error)
	Put(ctx context.Context, item *Refund) error
}

func Touch(ctx context.Context, s Store, id string) error {
	item, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	item.CreatedAt = time.Now().UTC()
	return s.Put(ctx, item)
}
