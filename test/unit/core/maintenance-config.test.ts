/** Retention and budget settings from the environment (the configurations table is tested with the jobs). */
import { describe, expect, it } from '@jest/globals';
import { maintenanceSettings } from '../../../shared/app/maintenance/settings.js';
import { loadConfig } from '../../../shared/core/config.js';
import { ConfigurationError } from '../../../shared/core/errors.js';

describe('retention and budget settings', () => {
  it('keep executions 30 days and audit logs 365, with no budgets, by default', () => {
    // Act
    const settings = maintenanceSettings(loadConfig({}).env);

    // Assess
    expect(settings).toEqual({
      retention: { days: 30, auditDays: 365 },
      budgets: { dailyUsd: undefined, monthlyUsd: undefined },
    });
  });

  it('read retention in days and budgets in dollars, an empty budget meaning none', () => {
    // Act
    const settings = maintenanceSettings(
      loadConfig({
        AIOPS_RETENTION_DAYS: '7',
        AIOPS_AUDIT_RETENTION_DAYS: '2555',
        AIOPS_BUDGET_DAILY_USD: '12.50',
        AIOPS_BUDGET_MONTHLY_USD: '',
      }).env,
    );

    // Assess
    expect(settings).toEqual({
      retention: { days: 7, auditDays: 2555 },
      budgets: { dailyUsd: 12.5, monthlyUsd: undefined },
    });
  });

  it.each([
    ['AIOPS_RETENTION_DAYS', '0'],
    ['AIOPS_RETENTION_DAYS', '1.5'],
    ['AIOPS_AUDIT_RETENTION_DAYS', 'forever'],
    ['AIOPS_BUDGET_DAILY_USD', '-5'],
    ['AIOPS_BUDGET_MONTHLY_USD', '0'],
    ['AIOPS_BUDGET_MONTHLY_USD', '$100'],
  ])('refuse %s=%s, naming the variable', (name, value) => {
    // Act
    const attempt = () => loadConfig({ [name]: value });

    // Assess
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(new RegExp(`- ${name}: `));
  });
});
