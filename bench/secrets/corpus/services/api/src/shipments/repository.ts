import { pool } from '../db.js';

export interface Shipment {
  id: string;
  createdAt: Date;
  version: number;
}

export const shipmentRepository = {
  async find(id: string): Promise<Shipment | undefined> {
    const { rows } = await pool.query('SELECT * FROM shipments WHERE id = $1', [id]);
    return rows[0];
  },
  async list({ limit, cursor }: { limit: number; cursor: string }): Promise<Shipment[]> {
    const { rows } = await pool.query('SELECT * FROM shipments WHERE id > $1 ORDER BY id LIMIT $2', [cursor, limit]);
    return rows;
  },
};
