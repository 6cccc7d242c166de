/**
 * A value built on first use and kept for the life of the process (in Lambda:
 * of the container, so a cold start builds it once) — a client, a context, a
 * module imported on demand. A failed build is forgotten, so the next call
 * tries again instead of failing forever on a transient error.
 */
export function lazy<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (value === undefined) {
      const building = build();
      value = building;
      building.catch(() => {
        if (value === building) value = undefined;
      });
    }
    return value;
  };
}
