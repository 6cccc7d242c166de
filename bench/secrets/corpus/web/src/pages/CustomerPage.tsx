import { useQuery } from '@tanstack/react-query';

export function CustomerPage({ id }: { id: string }) {
  const { data, isLoading } = useQuery({ queryKey: ['customer', id], queryFn: () => fetch(`/api/customers/${id}`).then((r) => r.json()) });
  if (isLoading) return <p>Loading…</p>;
  return <pre>{JSON.stringify(data, null, 2)}</pre>;
}
