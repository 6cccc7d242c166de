import type { Request, Response } from 'express';
import { warehouseRepository } from './repository.js';

export async function getWarehouse(req: Request, res: Response): Promise<void> {
  const item = await warehouseRepository.find(req.params.id ?? '');
  if (!item) {
    res.status(404).json({ error: 'warehouse not found' });
    return;
  }
  res.json(item);
}

export async function listWarehouses(req: Request, res: Response): Promise<void> {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  res.json(await warehouseRepository.list({ limit, cursor: String(req.query.cursor ?? '') }));
}
