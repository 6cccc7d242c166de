import { pool } from '../db.js';

export interface Review {
  id: string;
  createdAt: Date;
  version: number;
}

export const reviewRepository = {
  async find(id: string): Promise<Review | undefined> {
    const { rows } = await pool.query('SELECT * FROM reviews WHERE id = $1', [id]);
    return rows[0];
  },
  async list({ limit, cursor }: { limit: number; cursor: string }): Promise<Review[]> {
    const { rows } = await pool.query('SELECT * FROM reviews WHERE id > $1 ORDER BY id LIMIT $2', [cursor, limit]);
    return rows;
  },
};
