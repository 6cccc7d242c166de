import { getInvoice } from '../src/invoices/handler.js';

const id = 'bb4d2c23-6c29-4592-8d1d-8be52e6f51f3';

test('getInvoice answers 404 for an unknown id', async () => {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  await getInvoice({ params: { id } } as never, res as never);
  expect(res.status).toHaveBeenCalledWith(404);
});
