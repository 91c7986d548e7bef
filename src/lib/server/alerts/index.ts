export * from './subscriptions';
export { runDue, fits, PERIOD_MS, DIGEST_MAX_ITEMS, type RunResult } from './digest';
