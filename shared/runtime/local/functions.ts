/**
 * What `aiops invoke` can run, described without loading any of it: the
 * functions' names, what each is and its sample events (for `--help`).
 * ./invoke.ts adds the handlers.
 */

export interface LocalFunctionDoc {
  description: string;
  /** The sample events in events/ that this function takes (documentation and `--help`). */
  samples: readonly string[];
}

export const LOCAL_FUNCTION_DOCS = {
  api: {
    description: 'the HTTP API (an API Gateway HTTP API v2 event)',
    samples: ['api-get-health.json', 'api-create-execution.json', 'api-create-upload.json'],
  },
  'lane-worker': {
    description: "a lane's consumer (an SQS batch of job envelopes); agents run in process",
    samples: ['sqs-execution-run.json', 'sqs-scheduled-cleanup.json'],
  },
  agent: {
    description: "an agent's own function (one execution to run, as the lane worker invokes it)",
    samples: ['agent-invoke.json'],
  },
  'workflow-task': {
    description: 'a Task state of a workflow (its Parameters); agent steps run in process',
    samples: ['workflow-task-run-step.json'],
  },
  'object-trigger': {
    description: 'S3 "Object Created" through EventBridge: the routing table, then executions on the object',
    samples: ['s3-object-created.json'],
  },
  'alarm-trigger': {
    description:
      'a CloudWatch alarm going to ALARM: its metric window (GetMetricData, so AWS credentials), then anomaly detection',
    samples: ['cloudwatch-alarm-state-change.json'],
  },
} as const satisfies Readonly<Record<string, LocalFunctionDoc>>;
