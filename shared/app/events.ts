/**
 * The events the platform announces — completions (`aiops.execution.completed`)
 * and crossed budgets (`aiops.budget.alert`): EventBridge on AWS, the log and
 * in-process listeners locally.
 */
import type { ExecutionStatus } from '../core/domain.js';

export const EXECUTION_COMPLETED = 'aiops.execution.completed';
export const BUDGET_ALERT = 'aiops.budget.alert';

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

/** LLM spend of a UTC day or month reached its budget. */
export interface BudgetAlertEvent {
  period: 'day' | 'month';
  /** The period's first day, YYYY-MM-DD. */
  periodStart: string;
  thresholdUsd: number;
  totalUsd: number;
  detectedAt: string;
}

export interface ExecutionEvents {
  completed(event: ExecutionCompletedEvent): Promise<void>;
  budgetAlert(event: BudgetAlertEvent): Promise<void>;
}

/** Local and test implementation: every listener is called; one failing does not stop the others. */
export class InProcessEvents implements ExecutionEvents {
  readonly #listeners = new Set<(event: ExecutionCompletedEvent) => void>();
  readonly #budgetListeners = new Set<(event: BudgetAlertEvent) => void>();

  on(listener: (event: ExecutionCompletedEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onBudgetAlert(listener: (event: BudgetAlertEvent) => void): () => void {
    this.#budgetListeners.add(listener);
    return () => this.#budgetListeners.delete(listener);
  }

  async completed(event: ExecutionCompletedEvent): Promise<void> {
    deliver(this.#listeners, event);
  }

  async budgetAlert(event: BudgetAlertEvent): Promise<void> {
    deliver(this.#budgetListeners, event);
  }
}

function deliver<E>(listeners: ReadonlySet<(event: E) => void>, event: E): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch {
      // A listener's failure is its own; delivery to the others and the job's success do not depend on it.
    }
  }
}
