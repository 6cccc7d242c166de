/**
 * How far a secret's severity drops, and why: an example or a reference is
 * info; a test-mode key, a local-only URL, an unsigned or expired token, or
 * anything in test and example material is low at most.
 */
export type SecretSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Why a match is reported below its kind's severity. */
export type Lowered =
  | 'placeholder'
  | 'reference'
  | 'test-fixture'
  | 'test-mode-key'
  | 'local-only'
  | 'unsigned-token'
  | 'expired-token';

const LOWER_TO: Readonly<Record<Lowered, SecretSeverity>> = {
  placeholder: 'info',
  reference: 'info',
  'test-fixture': 'low',
  'test-mode-key': 'low',
  'local-only': 'low',
  'unsigned-token': 'low',
  'expired-token': 'low',
};

const ORDER: readonly SecretSeverity[] = ['info', 'low', 'medium', 'high', 'critical'];

function lower(severity: SecretSeverity, to: SecretSeverity): SecretSeverity {
  return ORDER.indexOf(to) < ORDER.indexOf(severity) ? to : severity;
}

/** The severity after the reason it is lowered for, and at most low in test material. */
export function loweredSeverity(
  severity: SecretSeverity,
  lowered: Lowered | undefined,
  testMaterial: boolean,
): SecretSeverity {
  const byReason = lowered === undefined ? severity : lower(severity, LOWER_TO[lowered]);
  return testMaterial ? lower(byReason, 'low') : byReason;
}
