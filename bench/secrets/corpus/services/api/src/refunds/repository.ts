import { pool } from '../db.js';

export interface Refund {
  id: string;
  createdAt: Date;
  version: number;
}

export const refundRepository = {
  async find(id: string): Promise<Refund | undefined> {
    const { rows } = await pool.query('SELECT * FROM refunds WHERE id = $1', [id]);
    return rows[0];
  },
  async list({ limit, cursor }: { limit: number; cursor: string }): Promise<Refund[]> {
    const { rows } = await pool.query('SELECT * FROM refunds WHERE id > $1 ORDER BY id LIMIT $2', [cursor, limit]);
    return rows;
  },
};
