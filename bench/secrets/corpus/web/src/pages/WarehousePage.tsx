import { useQuery } from '@tanstack/react-query';

export function WarehousePage({ id }: { id: string }) {
  const { data, isLoading } = useQuery({ queryKey: ['warehouse', id], queryFn: () => fetch(`/api/warehouses/${id}`).then((r) => r.json()) });
  if (isLoading) return <p>Loading…</p>;
  return <pre>{JSON.stringify(data, null, 2)}</pre>;
}
