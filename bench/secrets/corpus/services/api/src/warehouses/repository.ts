import { pool } from '../db.js';

export interface Warehouse {
  id: string;
  createdAt: Date;
  version: number;
}

export const warehouseRepository = {
  async find(id: string): Promise<Warehouse | undefined> {
    const { rows } = await pool.query('SELECT * FROM warehouses WHERE id = $1', [id]);
    return rows[0];
  },
  async list({ limit, cursor }: { limit: number; cursor: string }): Promise<Warehouse[]> {
    const { rows } = await pool.query('SELECT * FROM warehouses WHERE id > $1 ORDER BY id LIMIT $2', [cursor, limit]);
    return rows;
  },
};
