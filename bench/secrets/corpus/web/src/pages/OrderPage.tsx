import { useQuery } from '@tanstack/react-query';

export function OrderPage({ id }: { id: string }) {
  const { data, isLoading } = useQuery({ queryKey: ['order', id], queryFn: () => fetch(`/api/orders/${id}`).then((r) => r.json()) });
  if (isLoading) return <p>Loading…</p>;
  return <pre>{JSON.stringify(data, null, 2)}</pre>;
}
