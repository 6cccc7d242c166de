import { pool } from '../db.js';

export interface Product {
  id: string;
  createdAt: Date;
  version: number;
}

export const productRepository = {
  async find(id: string): Promise<Product | undefined> {
    const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id]);
    return rows[0];
  },
  async list({ limit, cursor }: { limit: number; cursor: string }): Promise<Product[]> {
    const { rows } = await pool.query('SELECT * FROM products WHERE id > $1 ORDER BY id LIMIT $2', [cursor, limit]);
    return rows;
  },
};
