import { feedRoute } from "#lib/http/feed-route.ts";

/* Incident history as RSS 2.0; `?component=<id>` narrows it to one component. */
export const GET = feedRoute("rss");
export const HEAD = GET;
