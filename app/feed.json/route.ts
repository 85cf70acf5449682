import { feedRoute } from "#lib/http/feed-route.ts";

/* Incident history as JSON Feed 1.1; `?component=<id>` narrows it to one component. */
export const GET = feedRoute("json");
export const HEAD = GET;
