/*
 * A third API key scope, owner: what Statuspage's full-access keys do that
 * Candor keeps for owners (the page's settings, the embed's settings, over
 * the Statuspage v1-compatible API). Read and write keys stay as they were.
 */
export const ownerApiKeys: string[] = [
  `alter table api_keys drop constraint api_keys_scope_check`,
  `alter table api_keys add constraint api_keys_scope_check check (scope in ('read','write','owner'))`,
];
