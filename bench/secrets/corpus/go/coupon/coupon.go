package coupon

import (
	"context"
	"time"
)

type Coupon struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
}

type Store interface {
	Get(ctx context.Context, id string) (*Coupon, error)
	Put(ctx context.Context, item *Coupon) error
}

func Touch(ctx context.Context, s Store, id string) error {
	item, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	item.CreatedAt = time.Now().UTC()
	return s.Put(ctx, item)
}
