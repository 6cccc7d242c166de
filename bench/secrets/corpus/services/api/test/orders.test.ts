import { getOrder } from '../src/orders/handler.js';

const id = '933c9658-9901-41e5-abb8-1cac9e805e4a';

test('getOrder answers 404 for an unknown id', async () => {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  await getOrder({ params: { id } } as never, res as never);
  expect(res.status).toHaveBeenCalledWith(404);
});
