import { getProduct } from '../src/products/handler.js';

const id = '4b301598-fffa-48f8-bd5c-394c8604e77c';

test('getProduct answers 404 for an unknown id', async () => {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  await getProduct({ params: { id } } as never, res as never);
  expect(res.status).toHaveBeenCalledWith(404);
});
