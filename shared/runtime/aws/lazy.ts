/**
 * A value built on first use and kept for the life of the Lambda container
 * (cold start once). A failed build is forgotten, so the next invocation tries
 * again instead of failing forever on a transient error.
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
