import { getCart } from '../src/carts/handler.js';

const id = 'ddc487d5-9c5c-4558-ab5a-521bfe648c5c';

test('getCart answers 404 for an unknown id', async () => {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  await getCart({ params: { id } } as never, res as never);
  expect(res.status).toHaveBeenCalledWith(404);
});
