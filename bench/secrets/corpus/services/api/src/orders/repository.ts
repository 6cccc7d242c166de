import { pool } from '../db.js';

export interface Order {
  id: string;
  createdAt: Date;
  version: number;
}

export const orderRepository = {
  async find(id: string): Promise<Order | undefined> {
    const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [id]);
    return rows[0];
  },
  async list({ limit, cursor }: { limit: number; cursor: string }): Promise<Order[]> {
    const { rows } = await pool.query('SELECT * FROM orders WHERE id > $1 ORDER BY id LIMIT $2', [cursor, limit]);
    return rows;
  },
};
