import { useQuery } from '@tanstack/react-query';

export function RefundPage({ id }: { id: string }) {
  const { data, isLoading } = useQuery({ queryKey: ['refund', id], queryFn: () => fetch(`/api/refunds/${id}`).then((r) => r.json()) });
  if (isLoading) return <p>Loading…</p>;
  return <pre>{JSON.stringify(data, null, 2)}</pre>;
}
