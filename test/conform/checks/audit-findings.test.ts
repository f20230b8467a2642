import { describe, expect, it } from 'vitest';
import { auditFindingsCheck } from '../../../harness/conform/checks/audit-findings.js';
import { input } from './ledger-fixtures.js';

describe('audit findings check', () => {
  it('fails on critical findings only, naming code, keys and fix', () => {
    const audit = [
      { code: 'STREAM_DEAD_CONSUMER', severity: 'critical' as const, title: 'entries held by a consumer idle 10 min', evidence: { keys: ['sys:tasks'] }, fix: 'XAUTOCLAIM them' },
      { code: 'NO_TTL', severity: 'warning' as const, title: 'keys without TTL', evidence: {}, fix: 'expire them' },
    ];
    expect(auditFindingsCheck(input([], [], { audit }))).toEqual([
      "audit of the system's keyspace: STREAM_DEAD_CONSUMER: entries held by a consumer idle 10 min (keys sys:tasks); fix: XAUTOCLAIM them",
    ]);
    expect(auditFindingsCheck(input([], [], { audit: null }))).toEqual([]);
  });
});
