/**
 * Completion events (`aiops.execution.completed`): EventBridge on AWS, the log
 * and in-process listeners locally.
 */
import type { ExecutionStatus } from '../db/schema.js';

export const EXECUTION_COMPLETED = 'aiops.execution.completed';

export interface ExecutionCompletedEvent {
  id: string;
  agent: string;
  status: Extract<ExecutionStatus, 'completed' | 'failed'>;
  userId: string | null;
  traceId: string;
  findingCounts: Record<string, number>;
  durationMs: number | null;
  completedAt: string;
}

export interface ExecutionEvents {
  completed(event: ExecutionCompletedEvent): Promise<void>;
}

/** Local and test implementation: every listener is called; one failing does not stop the others. */
export class InProcessEvents implements ExecutionEvents {
  readonly #listeners = new Set<(event: ExecutionCompletedEvent) => void>();

  on(listener: (event: ExecutionCompletedEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async completed(event: ExecutionCompletedEvent): Promise<void> {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; delivery to the others and the job's success do not depend on it.
      }
    }
  }
}
