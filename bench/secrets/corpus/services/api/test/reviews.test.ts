import { getReview } from '../src/reviews/handler.js';

const id = '83249dd9-d3d0-4731-b0ca-51eaa10ff3ae';

test('getReview answers 404 for an unknown id', async () => {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  await getReview({ params: { id } } as never, res as never);
  expect(res.status).toHaveBeenCalledWith(404);
});
