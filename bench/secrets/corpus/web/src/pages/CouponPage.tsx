import { useQuery } from '@tanstack/react-query';

export function CouponPage({ id }: { id: string }) {
  const { data, isLoading } = useQuery({ queryKey: ['coupon', id], queryFn: () => fetch(`/api/coupons/${id}`).then((r) => r.json()) });
  if (isLoading) return <p>Loading…</p>;
  return <pre>{JSON.stringify(data, null, 2)}</pre>;
}
