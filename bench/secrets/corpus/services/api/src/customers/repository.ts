import { pool } from '../db.js';

export interface Customer {
  id: string;
  createdAt: Date;
  version: number;
}

export const customerRepository = {
  async find(id: string): Promise<Customer | undefined> {
    const { rows } = await pool.query('SELECT * FROM customers WHERE id = $1', [id]);
    return rows[0];
  },
  async list({ limit, cursor }: { limit: number; cursor: string }): Promise<Customer[]> {
    const { rows } = await pool.query('SELECT * FROM customers WHERE id > $1 ORDER BY id LIMIT $2', [cursor, limit]);
    return rows;
  },
};
