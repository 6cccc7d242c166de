import { useQuery } from '@tanstack/react-query';

export function ReviewPage({ id }: { id: string }) {
  const { data, isLoading } = useQuery({ queryKey: ['review', id], queryFn: () => fetch(`/api/reviews/${id}`).then((r) => r.json()) });
  if (isLoading) return <p>Loading…</p>;
  return <pre>{JSON.stringify(data, null, 2)}</pre>;
}
