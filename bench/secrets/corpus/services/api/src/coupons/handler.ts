import type { Request, Response } from 'express';
import { couponRepository } from './repository.js';

export async function getCoupon(req: Request, res: Response): Promise<void> {
  const item = await couponRepository.find(req.params.id ?? '');
  if (!item) {
    res.status(404).json({ error: 'coupon not found' });
    return;
  }
  res.json(item);
}

export async function listCoupons(req: Request, res: Response): Promise<void> {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  res.json(await couponRepository.list({ limit, cursor: String(req.query.cursor ?? '') }));
}
