import { useQuery } from '@tanstack/react-query';

export function ProductPage({ id }: { id: string }) {
  const { data, isLoading } = useQuery({ queryKey: ['product', id], queryFn: () => fetch(`/api/products/${id}`).then((r) => r.json()) });
  if (isLoading) return <p>Loading…</p>;
  return <pre>{JSON.stringify(data, null, 2)}</pre>;
}
