import type { Request, Response } from 'express';
import { shipmentRepository } from './repository.js';

export async function getShipment(req: Request, res: Response): Promise<void> {
  const item = await shipmentRepository.find(req.params.id ?? '');
  if (!item) {
    res.status(404).json({ error: 'shipment not found' });
    return;
  }
  res.json(item);
}

export async function listShipments(req: Request, res: Response): Promise<void> {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  res.json(await shipmentRepository.list({ limit, cursor: String(req.query.cursor ?? '') }));
}
