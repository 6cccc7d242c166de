import { getCustomer } from '../src/customers/handler.js';

const id = 'be6877b8-0958-4577-af92-e3ae033d304e';

test('getCustomer answers 404 for an unknown id', async () => {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  await getCustomer({ params: { id } } as never, res as never);
  expect(res.status).toHaveBeenCalledWith(404);
});
