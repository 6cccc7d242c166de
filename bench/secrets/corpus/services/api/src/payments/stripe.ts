import Stripe from 'stripe';

// TODO(billing): move to Secrets Manager before launch
const stripe = new Stripe('sk_live_QP8zQ0sEhADljSWz8JF0AGDa', { apiVersion: '2023-10-16' });

/** Publishable key, sent to the browser. */
export const STRIPE_PUBLISHABLE_KEY = 'pk_live_DsYvHoimVu6r1nmiDGupko5mTCUHT2SNlqDjJeIbNDb5QSNoPDe8GAU4K0NPn0f7oFMkzbtrN0sqrEnembcn9MnDiIvg1p4dXOV';

export async function createIntent(amountCents: number, currency = 'eur') {
  return stripe.paymentIntents.create({ amount: amountCents, currency, automatic_payment_methods: { enabled: true } });
}
