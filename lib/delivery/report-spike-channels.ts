import type { Db } from "#db/client.ts";
import { rfc3339 } from "#lib/core/time.ts";
import { chatWords, discordMessage, slackMessage, teamsMessage, type ChatMessage } from "./chat-payloads.ts";
import { postJson, RequestFailed } from "./safe-http.ts";
import { CANDOR_FORMAT_VERSION, EVENT_ID_HEADER, SIGNATURE_HEADER, signature } from "./webhook-payloads.ts";

/*
 * The problem-report spike alert in the team's own channels: channel
 * subscribers an owner or editor added with the event "reports" get one
 * message per component and window, beside the owners' and editors' email
 * (lib/domain/report-alerts.ts claims the window, so one process posts).
 * Like that email it is sent once and not retried: the inbox keeps every
 * report. Webhooks in the Candor format get `type: "report.spike"`;
 * Statuspage-format webhooks have no such event and get nothing.
 */
export interface SpikeAlert {
  count: number;
  minutes: number;
  /** null: "not sure / the whole service". */
  componentName: string | null;
  componentKey: string;
  windowStart: Date;
  /** The newest few reports' own words, newest first (never the reporters' addresses). */
  latest: { description: string; at: Date }[];
  reportsUrl: string;
  declareUrl: string;
  page: { id: string; name: string; url: string; timeZone: string };
}

const SPIKE_COLOR = "#b45309";

function chatMessage(spike: SpikeAlert): ChatMessage {
  const words = chatWords("en", spike.page.timeZone);
  const at = spike.latest[0]?.at ?? spike.windowStart;
  const component = spike.componentName ?? "“not sure / the whole service”";
  return {
    title: `${spike.count} problem reports for ${spike.componentName ?? "not sure / the whole service"}`,
    status: `within ${spike.minutes} minutes`,
    impact: null,
    body: [`Customers report a problem with ${component}. The newest:`, ...spike.latest.map((r) => `> ${r.description.replace(/\s+/g, " ")}`), "", `Declare an incident: ${spike.declareUrl}`].join("\n"),
    affected: [],
    link: spike.reportsUrl,
    linkLabel: "Open the reports",
    color: SPIKE_COLOR,
    at,
    // The admins' alert stays English, as the admin area does.
    atText: words.at(at),
    pageName: spike.page.name,
    labels: words.labels,
  };
}

/** Posts the alert to every active channel subscriber that chose "reports"; returns how many answered 2xx. */
export async function postSpikeToChannels(db: Db, spike: SpikeAlert): Promise<number> {
  const endpoints = await db
    .selectFrom("subscribers as s")
    .innerJoin("subscriber_endpoints as e", "e.subscriber_id", "s.id")
    .select(["s.id", "s.channel", "e.url", "e.format", "e.secret"])
    .where("s.channel", "!=", "email")
    .where("s.status", "=", "active")
    .where((eb) => eb(eb.val("reports"), "=", eb.fn.any("s.events")))
    .execute();
  const message = chatMessage(spike);
  let answered = 0;
  for (const endpoint of endpoints) {
    const eventId = `r:${spike.componentKey}:${spike.windowStart.getTime() / 1000}:${endpoint.id}`;
    let body: object;
    const headers: Record<string, string> = { [EVENT_ID_HEADER]: eventId };
    if (endpoint.channel === "slack") body = slackMessage(message);
    else if (endpoint.channel === "discord") body = discordMessage(message);
    else if (endpoint.channel === "teams") body = teamsMessage(message);
    else if (endpoint.format === "candor") {
      const zone = spike.page.timeZone;
      body = {
        version: CANDOR_FORMAT_VERSION,
        id: eventId,
        type: "report.spike",
        created_at: rfc3339(new Date(), zone),
        page: { id: spike.page.id, name: spike.page.name, url: spike.page.url },
        data: {
          component: spike.componentKey === "none" ? null : { id: spike.componentKey, name: spike.componentName },
          count: spike.count,
          window: { start: rfc3339(spike.windowStart, zone), minutes: spike.minutes },
          latest: spike.latest.map((r) => ({ description: r.description, at: rfc3339(r.at, zone) })),
          reports_url: spike.reportsUrl,
          declare_url: spike.declareUrl,
        },
      };
    } else continue;
    const raw = JSON.stringify(body);
    if (endpoint.channel === "webhook") headers[SIGNATURE_HEADER] = signature(endpoint.secret, raw);
    try {
      const answer = await postJson(endpoint.url, raw, headers);
      if (answer.status >= 200 && answer.status < 300) answered++;
      else console.error(`[report-alerts] a channel answered the spike alert with HTTP ${answer.status}`);
    } catch (error) {
      // Never the URL: a Slack or Discord URL is a credential.
      console.error(`[report-alerts] a channel could not be reached: ${error instanceof RequestFailed ? error.message : "request failed"}`);
    }
  }
  return answered;
}
