import { pool } from '../db.js';

export interface Invoice {
  id: string;
  createdAt: Date;
  version: number;
}

export const invoiceRepository = {
  async find(id: string): Promise<Invoice | undefined> {
    const { rows } = await pool.query('SELECT * FROM invoices WHERE id = $1', [id]);
    return rows[0];
  },
  async list({ limit, cursor }: { limit: number; cursor: string }): Promise<Invoice[]> {
    const { rows } = await pool.query('SELECT * FROM invoices WHERE id > $1 ORDER BY id LIMIT $2', [cursor, limit]);
    return rows;
  },
};
