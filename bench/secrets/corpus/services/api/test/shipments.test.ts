import { getShipment } from '../src/shipments/handler.js';

const id = '90cab136-5cb6-456c-b448-c8bf40aeb34e';

test('getShipment answers 404 for an unknown id', async () => {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  await getShipment({ params: { id } } as never, res as never);
  expect(res.status).toHaveBeenCalledWith(404);
});
