import type { Request, Response } from 'express';
import { cartRepository } from './repository.js';

export async function getCart(req: Request, res: Response): Promise<void> {
  const item = await cartRepository.find(req.params.id ?? '');
  if (!item) {
    res.status(404).json({ error: 'cart not found' });
    return;
  }
  res.json(item);
}

export async function listCarts(req: Request, res: Response): Promise<void> {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  res.json(await cartRepository.list({ limit, cursor: String(req.query.cursor ?? '') }));
}
