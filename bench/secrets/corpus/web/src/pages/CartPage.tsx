import { useQuery } from '@tanstack/react-query';

export function CartPage({ id }: { id: string }) {
  const { data, isLoading } = useQuery({ queryKey: ['cart', id], queryFn: () => fetch(`/api/carts/${id}`).then((r) => r.json()) });
  if (isLoading) return <p>Loading…</p>;
  return <pre>{JSON.stringify(data, null, 2)}</pre>;
}
