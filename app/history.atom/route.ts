import { feedRoute } from "#lib/http/feed-route.ts";

/* Incident history as Atom 1.0; `?component=<id>` narrows it to one component. */
export const GET = feedRoute("atom");
export const HEAD = GET;
