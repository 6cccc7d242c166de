import { getCoupon } from '../src/coupons/handler.js';

const id = '336d7325-5d0e-4536-9cbf-d75498bbe990';

test('getCoupon answers 404 for an unknown id', async () => {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  await getCoupon({ params: { id } } as never, res as never);
  expect(res.status).toHaveBeenCalledWith(404);
});
