import type { Request, Response } from 'express';
import { refundRepository } from './repository.js';

export async function getRefund(req: Request, res: Response): Promise<void> {
  const item = await refundRepository.find(req.params.id ?? '');
  if (!item) {
    res.status(404).json({ error: 'refund not found' });
    return;
  }
  res.json(item);
}

export async function listRefunds(req: Request, res: Response): Promise<void> {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  res.json(await refundRepository.list({ limit, cursor: String(req.query.cursor ?? '') }));
}
