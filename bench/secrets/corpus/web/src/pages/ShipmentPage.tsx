import { useQuery } from '@tanstack/react-query';

export function ShipmentPage({ id }: { id: string }) {
  const { data, isLoading } = useQuery({ queryKey: ['shipment', id], queryFn: () => fetch(`/api/shipments/${id}`).then((r) => r.json()) });
  if (isLoading) return <p>Loading…</p>;
  return <pre>{JSON.stringify(data, null, 2)}</pre>;
}
