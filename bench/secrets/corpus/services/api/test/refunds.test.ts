import { getRefund } from '../src/refunds/handler.js';

const id = '8e0b5ead-6b77-4659-8a7f-5b3913aa1229';

test('getRefund answers 404 for an unknown id', async () => {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  await getRefund({ params: { id } } as never, res as never);
  expect(res.status).toHaveBeenCalledWith(404);
});
