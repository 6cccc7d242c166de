// Tests read their own log output where they need it; everywhere else logs are noise.
process.env.LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
