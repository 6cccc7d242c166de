/**
 * GetMetricData for the alarm trigger (../../app/triggers/alarm.ts): the
 * alarm's queries over a window, oldest first, every page merged per query.
 * The SDK is imported on the first read.
 */
import type { CloudWatchClient, GetMetricDataCommandOutput, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { MetricQuery, MetricSeries, MetricWindowReader } from '../../app/triggers/alarm.js';
import { awsErrorName, isTransientAwsError } from '../../core/aws-sdk-errors.js';
import { IntegrationError } from '../../core/errors.js';
import { type SdkClientOptions, sdkClient } from './sdk-client.js';

/** Enough for six hours at one-second resolution; a wider window is cut here rather than paged for long. */
const MAX_DATAPOINTS = 25_000;
const MAX_PAGES = 20;

export type CloudWatchMetricsReaderOptions = SdkClientOptions<CloudWatchClient>;

export class CloudWatchMetricsReader implements MetricWindowReader {
  readonly #client: () => Promise<CloudWatchClient>;

  constructor(options: CloudWatchMetricsReaderOptions = {}) {
    this.#client = sdkClient(
      options,
      async (config) => new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient(config),
    );
  }

  async read(queries: readonly MetricQuery[], window: { from: Date; to: Date }): Promise<MetricSeries[]> {
    const [client, { GetMetricDataCommand }] = await Promise.all([
      this.#client(),
      import('@aws-sdk/client-cloudwatch'),
    ]);
    const series = new Map<string, MetricSeries>();
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      let output: GetMetricDataCommandOutput;
      try {
        output = await client.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries.map((q) => ({
              Id: q.id,
              ReturnData: q.returnData,
              ...(q.label === undefined ? {} : { Label: q.label }),
              ...(q.expression === undefined ? {} : { Expression: q.expression }),
              ...(q.period === undefined || q.metricStat !== undefined ? {} : { Period: q.period }),
              ...(q.metricStat === undefined
                ? {}
                : {
                    MetricStat: {
                      Metric: {
                        Namespace: q.metricStat.metric.namespace,
                        MetricName: q.metricStat.metric.name,
                        Dimensions: Object.entries(q.metricStat.metric.dimensions ?? {}).map(
                          ([Name, Value]) => ({
                            Name,
                            Value,
                          }),
                        ),
                      },
                      Period: q.metricStat.period,
                      Stat: q.metricStat.stat,
                      ...(q.metricStat.unit === undefined ? {} : { Unit: q.metricStat.unit as StandardUnit }),
                    },
                  }),
            })),
            StartTime: window.from,
            EndTime: window.to,
            ScanBy: 'TimestampAscending',
            MaxDatapoints: MAX_DATAPOINTS,
            ...(nextToken === undefined ? {} : { NextToken: nextToken }),
          }),
        );
      } catch (cause) {
        const name = awsErrorName(cause);
        throw new IntegrationError(`CloudWatch GetMetricData failed (${name})`, {
          cause,
          retryable: isTransientAwsError(cause),
          details: { errorName: name, queries: queries.map((q) => q.id) },
        });
      }
      for (const result of output.MetricDataResults ?? []) {
        const id = result.Id ?? `r${series.size}`;
        const current = series.get(id) ?? { id, label: result.Label, timestamps: [], values: [] };
        current.timestamps.push(...(result.Timestamps ?? []).map((t) => new Date(t).toISOString()));
        current.values.push(...(result.Values ?? []));
        series.set(id, current);
      }
      nextToken = output.NextToken;
      if (nextToken === undefined) break;
    }
    return [...series.values()];
  }
}
