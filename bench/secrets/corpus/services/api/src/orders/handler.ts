import type { Request, Response } from 'express';
import { orderRepository } from './repository.js';

export async function getOrder(req: Request, res: Response): Promise<void> {
  const item = await orderRepository.find(req.params.id ?? '');
  if (!item) {
    res.status(404).json({ error: 'order not found' });
    return;
  }
  res.json(item);
}

export async function listOrders(req: Request, res: Response): Promise<void> {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  res.json(await orderRepository.list({ limit, cursor: String(req.query.cursor ?? '') }));
}
