import type { Request, Response } from 'express';
import { customerRepository } from './repository.js';

export async function getCustomer(req: Request, res: Response): Promise<void> {
  const item = await customerRepository.find(req.params.id ?? '');
  if (!item) {
    res.status(404).json({ error: 'customer not found' });
    return;
  }
  res.json(item);
}

export async function listCustomers(req: Request, res: Response): Promise<void> {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  res.json(await customerRepository.list({ limit, cursor: String(req.query.cursor ?? '') }));
}
