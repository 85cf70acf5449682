import { Heading, Link, Section, Text } from "@react-email/components";
import { componentStatusMeta, impactMeta, updateStatusMeta } from "#lib/core/statuses.ts";
import { renderMarkdown } from "#lib/core/markdown.ts";
import { latestComponentStatuses } from "#lib/core/timeline.ts";
import { Layout, styles } from "./layout.tsx";
import type { MailIncident, MailLinks, MailPage, MailUpdate } from "./types.ts";
import type { MailWords } from "./words.ts";

export interface IncidentUpdateProps {
  page: MailPage;
  words: MailWords;
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
  preview: string;
}

function Markdown({ text }: { text: string }) {
  return <div style={{ fontSize: "15px", lineHeight: "22px", color: "#111827" }} dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}

/** A time for people; the machine form is the element's dateTime. */
export function When({ date, words }: { date: Date; words: MailWords }) {
  return <time dateTime={words.iso(date)}>{words.at(date)}</time>;
}

function Entry({ entry, words, prominent }: { entry: MailUpdate; words: MailWords; prominent: boolean }) {
  const meta = updateStatusMeta[entry.status];
  return (
    <Section
      style={{
        // Physical sides: many email clients ignore logical properties.
        [words.dir === "rtl" ? "borderRight" : "borderLeft"]: `4px solid ${meta.color}`,
        padding: prominent ? "12px 16px" : "4px 12px",
        margin: "0 0 16px",
        backgroundColor: prominent ? "#f9fafb" : "#ffffff",
      }}
    >
      <Text style={{ margin: 0, fontSize: prominent ? "16px" : "14px", fontWeight: 700, color: meta.color }}>
        {words.updateStatus(entry.status)}
        <span style={{ fontWeight: 400, color: "#4b5563" }}>
          {" · "}
          <When date={entry.display_at} words={words} />
        </span>
      </Text>
      <Markdown text={entry.body} />
      {entry.changes.length > 0 ? (
        <ul style={{ margin: "4px 0 0", [words.dir === "rtl" ? "paddingRight" : "paddingLeft"]: "20px", fontSize: "14px", color: "#374151" }}>
          {entry.changes.map((c) => (
            <li key={c.component_id}>{words.change(c)}</li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

/*
 * What a reader needs first: how bad it is, where the affected components
 * stand now, and when to expect the next word (the cadence's promise).
 */
function Situation({ incident, updates, words }: { incident: MailIncident; updates: MailUpdate[]; words: MailWords }) {
  const components = latestComponentStatuses(updates);
  const impact = incident.kind === "incident" ? incident.impact : null;
  if (!impact && components.length === 0 && !incident.nextUpdateDueAt) return null;
  return (
    <Section style={{ margin: "0 0 16px" }}>
      {impact ? (
        <Text style={{ margin: "0 0 4px", fontSize: "15px", fontWeight: 700, color: impactMeta[impact].color }}>{words.common(`impact.${impact}`)}</Text>
      ) : null}
      {components.length > 0 ? (
        <>
          <Text style={{ margin: "0", fontSize: "14px", color: "#374151" }}>{words.t("update.affected")}</Text>
          <ul style={{ margin: "0 0 4px", [words.dir === "rtl" ? "paddingRight" : "paddingLeft"]: "20px", fontSize: "14px", color: "#374151" }}>
            {components.map((c) => (
              <li key={c.id}>
                {c.name}: <span style={{ color: componentStatusMeta[c.status].color, fontWeight: 600 }}>{words.componentStatus(c.status)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {incident.nextUpdateDueAt ? (
        <Text style={{ margin: 0, fontSize: "14px", fontWeight: 600, color: "#111827" }}>
          {words.t.rich("update.nextUpdate", {
            time: () => <time dateTime={words.iso(incident.nextUpdateDueAt!)}>{words.clock(incident.nextUpdateDueAt!)}</time>,
          })}
        </Text>
      ) : null}
    </Section>
  );
}

/* One email per update: the situation, the newest update prominent, then the whole timeline (or its newest part). */
export function IncidentUpdateEmail(props: IncidentUpdateProps) {
  const { words } = props;
  const { t } = words;
  const [newest, ...rest] = props.updates;
  const earlier = rest.slice(0, Math.max(0, props.shown - 1));
  const hidden = props.updates.length - 1 - earlier.length;
  const link = (chunks: React.ReactNode) => <Link href={props.incidentUrl}>{chunks}</Link>;
  return (
    <Layout page={props.page} words={words} preview={props.preview} links={props.links} reason={t("footer.reason", { page: props.page.name })}>
      <Heading as="h1" style={{ fontSize: "22px", lineHeight: "28px", margin: "0 0 4px", color: "#111827" }}>
        {props.heading}
      </Heading>
      <Text style={{ ...styles.small, margin: "0 0 16px" }}>
        {props.incident.reference} · <Link href={props.incidentUrl}>{t("update.view")}</Link>
      </Text>
      <Situation incident={props.incident} updates={props.updates} words={words} />
      {props.lead}
      <Entry entry={newest} words={words} prominent />
      {earlier.length > 0 ? (
        <Heading as="h2" style={{ fontSize: "16px", margin: "24px 0 12px", color: "#111827" }}>
          {t("update.timeline")}
        </Heading>
      ) : null}
      {earlier.map((entry) => (
        <Entry key={entry.id} entry={entry} words={words} prominent={false} />
      ))}
      {hidden > 0 ? (
        <Text style={styles.small}>
          {props.attachmentName
            ? t.rich("update.hiddenAttached", { count: hidden, file: props.attachmentName, link })
            : t.rich("update.hidden", { count: hidden, link })}
        </Text>
      ) : props.attachmentName ? (
        <Text style={styles.small}>{t("update.attached", { file: props.attachmentName })}</Text>
      ) : null}
    </Layout>
  );
}
