import type { Request, Response } from 'express';
import { invoiceRepository } from './repository.js';

export async function getInvoice(req: Request, res: Response): Promise<void> {
  const item = await invoiceRepository.find(req.params.id ?? '');
  if (!item) {
    res.status(404).json({ error: 'invoice not found' });
    return;
  }
  res.json(item);
}

export async function listInvoices(req: Request, res: Response): Promise<void> {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  res.json(await invoiceRepository.list({ limit, cursor: String(req.query.cursor ?? '') }));
}
