import type { Request, Response } from 'express';
import { productRepository } from './repository.js';

export async function getProduct(req: Request, res: Response): Promise<void> {
  const item = await productRepository.find(req.params.id ?? '');
  if (!item) {
    res.status(404).json({ error: 'product not found' });
    return;
  }
  res.json(item);
}

export async function listProducts(req: Request, res: Response): Promise<void> {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  res.json(await productRepository.list({ limit, cursor: String(req.query.cursor ?? '') }));
}
