import { Heading, Link, Section, Text } from "@react-email/components";
import { updateStatusMeta } from "#lib/core/statuses.ts";
import { renderMarkdown } from "#lib/core/markdown.ts";
import { Layout, styles } from "./layout.tsx";
import { changeLine } from "#lib/core/timeline.ts";
import { mailTime } from "./timeline.ts";
import type { MailIncident, MailLinks, MailPage, MailUpdate } from "./types.ts";

export interface IncidentUpdateProps {
  page: MailPage;
  incident: MailIncident;
  /** Newest first; the first one is the update this email is about. */
  updates: MailUpdate[];
  /** How many of the newest updates are shown in the body; the rest are counted. */
  shown: number;
  attachmentName: string | null;
  incidentUrl: string;
  links: MailLinks;
  /** Optional block above the timeline (maintenance window, postmortem). */
  lead?: React.ReactNode;
  heading: string;
}

function Markdown({ text }: { text: string }) {
  return <div style={{ fontSize: "15px", lineHeight: "22px", color: "#111827" }} dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}

function Entry({ entry, zone, prominent }: { entry: MailUpdate; zone: string; prominent: boolean }) {
  const meta = updateStatusMeta[entry.status];
  return (
    <Section
      style={{
        borderLeft: `4px solid ${meta.color}`,
        padding: prominent ? "12px 16px" : "4px 12px",
        margin: "0 0 16px",
        backgroundColor: prominent ? "#f9fafb" : "#ffffff",
      }}
    >
      <Text style={{ margin: 0, fontSize: prominent ? "16px" : "14px", fontWeight: 700, color: meta.color }}>
        {meta.label}
        <span style={{ fontWeight: 400, color: "#4b5563" }}> · {mailTime(entry.display_at, zone)}</span>
      </Text>
      <Markdown text={entry.body} />
      {entry.changes.length > 0 ? (
        <ul style={{ margin: "4px 0 0", paddingLeft: "20px", fontSize: "14px", color: "#374151" }}>
          {entry.changes.map((c) => (
            <li key={c.component_id}>{changeLine(c)}</li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

/* One email per update: the newest update prominent, then the whole timeline (or its newest part). */
export function IncidentUpdateEmail(props: IncidentUpdateProps) {
  const [newest, ...rest] = props.updates;
  const earlier = rest.slice(0, Math.max(0, props.shown - 1));
  const hidden = props.updates.length - 1 - earlier.length;
  return (
    <Layout
      page={props.page}
      preview={`${updateStatusMeta[newest.status].label}: ${props.incident.name}`}
      links={props.links}
      reason={`You are subscribed to ${props.page.name} status updates.`}
    >
      <Heading as="h1" style={{ fontSize: "22px", lineHeight: "28px", margin: "0 0 4px", color: "#111827" }}>
        {props.heading}
      </Heading>
      <Text style={{ ...styles.small, margin: "0 0 16px" }}>
        {props.incident.reference} · <Link href={props.incidentUrl}>View on the status page</Link>
      </Text>
      {props.lead}
      <Entry entry={newest} zone={props.page.timeZone} prominent />
      {earlier.length > 0 ? (
        <Heading as="h2" style={{ fontSize: "16px", margin: "24px 0 12px", color: "#111827" }}>
          Timeline
        </Heading>
      ) : null}
      {earlier.map((entry) => (
        <Entry key={entry.id} entry={entry} zone={props.page.timeZone} prominent={false} />
      ))}
      {hidden > 0 ? (
        <Text style={styles.small}>
          {hidden} earlier update{hidden === 1 ? " is" : "s are"} {props.attachmentName ? `in the attached ${props.attachmentName} and ` : ""}
          on <Link href={props.incidentUrl}>the incident page</Link>.
        </Text>
      ) : props.attachmentName ? (
        <Text style={styles.small}>The whole timeline is attached as {props.attachmentName}.</Text>
      ) : null}
    </Layout>
  );
}
