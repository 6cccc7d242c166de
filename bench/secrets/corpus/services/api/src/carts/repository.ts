import { pool } from '../db.js';

export interface Cart {
  id: string;
  createdAt: Date;
  version: number;
}

export const cartRepository = {
  async find(id: string): Promise<Cart | undefined> {
    const { rows } = await pool.query('SELECT * FROM carts WHERE id = $1', [id]);
    return rows[0];
  },
  async list({ limit, cursor }: { limit: number; cursor: string }): Promise<Cart[]> {
    const { rows } = await pool.query('SELECT * FROM carts WHERE id > $1 ORDER BY id LIMIT $2', [cursor, limit]);
    return rows;
  },
};
