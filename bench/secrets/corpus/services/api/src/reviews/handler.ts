import type { Request, Response } from 'express';
import { reviewRepository } from './repository.js';

export async function getReview(req: Request, res: Response): Promise<void> {
  const item = await reviewRepository.find(req.params.id ?? '');
  if (!item) {
    res.status(404).json({ error: 'review not found' });
    return;
  }
  res.json(item);
}

export async function listReviews(req: Request, res: Response): Promise<void> {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  res.json(await reviewRepository.list({ limit, cursor: String(req.query.cursor ?? '') }));
}
