import { pool } from '../db.js';

export interface Coupon {
  id: string;
  createdAt: Date;
  version: number;
}

export const couponRepository = {
  async find(id: string): Promise<Coupon | undefined> {
    const { rows } = await pool.query('SELECT * FROM coupons WHERE id = $1', [id]);
    return rows[0];
  },
  async list({ limit, cursor }: { limit: number; cursor: string }): Promise<Coupon[]> {
    const { rows } = await pool.query('SELECT * FROM coupons WHERE id > $1 ORDER BY id LIMIT $2', [cursor, limit]);
    return rows;
  },
};
