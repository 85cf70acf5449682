/**
 * The largest request body a server action takes: next.config.mjs sets the
 * same number as `experimental.serverActions.bodySizeLimit` ("2mb"; it cannot
 * import TypeScript, test/integration/hostile-input.test.ts checks they
 * agree), and proxy.ts answers 413 above it, where Next would answer 500.
 * It leaves room for the largest subscriber CSV (lib/domain/subscribers/csv.ts) and its form.
 */
export const SERVER_ACTION_BODY_LIMIT_BYTES = 2 * 1024 * 1024;
