import { useQuery } from '@tanstack/react-query';

export function InvoicePage({ id }: { id: string }) {
  const { data, isLoading } = useQuery({ queryKey: ['invoice', id], queryFn: () => fetch(`/api/invoices/${id}`).then((r) => r.json()) });
  if (isLoading) return <p>Loading…</p>;
  return <pre>{JSON.stringify(data, null, 2)}</pre>;
}
