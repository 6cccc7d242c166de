import { getWarehouse } from '../src/warehouses/handler.js';

const id = '7008fbad-b70e-420f-b3d6-317cec69fb99';

test('getWarehouse answers 404 for an unknown id', async () => {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  await getWarehouse({ params: { id } } as never, res as never);
  expect(res.status).toHaveBeenCalledWith(404);
});
