import { Button, Heading, Link, Text } from "@react-email/components";
import { Layout, styles } from "./layout.tsx";
import type { MailPage } from "./types.ts";

export interface ReportSpike {
  count: number;
  minutes: number;
  /** null: "not sure / the whole service". */
  componentName: string | null;
  /** The newest few, newest first: the reporters' own words, shown as plain text (never their addresses). */
  latest: { description: string; at: string }[];
  reportsUrl: string;
  declareUrl: string;
}

/** "1 problem report" / "5 problem reports", and the window in the same words. */
export function reportCount(count: number): string {
  return `${count} problem ${count === 1 ? "report" : "reports"}`;
}

/** The alert's opening sentence; `quote` wraps "not sure" (typographic in HTML, plain in text). */
export function spikeSummary(spike: ReportSpike, quote: [string, string]): string {
  const minutes = `${spike.minutes} ${spike.minutes === 1 ? "minute" : "minutes"}`;
  const component = spike.componentName ?? `${quote[0]}not sure / the whole service${quote[1]}`;
  return `${reportCount(spike.count)} within ${minutes} for ${component}. The newest:`;
}

/* Owners and editors: customers report a problem with one component, many at once. */
export function ReportSpikeEmail(props: { page: MailPage; spike: ReportSpike; subject: string }) {
  const { spike } = props;
  return (
    <Layout page={props.page} preview={props.subject} reason="You are an owner or editor of this status page, and reports are on.">
      <Heading as="h1" style={{ fontSize: "22px", margin: "0 0 12px", color: "#111827" }}>
        {props.subject}
      </Heading>
      <Text style={{ fontSize: "15px", lineHeight: "22px" }}>
        {spikeSummary(spike, ["“", "”"])}
      </Text>
      {spike.latest.map((report, i) => (
        <Text key={i} style={{ fontSize: "14px", lineHeight: "20px", whiteSpace: "pre-wrap", borderLeft: "3px solid #e5e7eb", paddingLeft: "12px" }}>
          {report.description}
          <br />
          <span style={styles.small}>{report.at}</span>
        </Text>
      ))}
      <Button href={props.spike.declareUrl} style={{ backgroundColor: "#111827", color: "#ffffff", padding: "12px 20px", borderRadius: "6px" }}>
        Declare an incident
      </Button>
      <Text style={styles.small}>
        All reports: <Link href={spike.reportsUrl}>{spike.reportsUrl}</Link>
      </Text>
    </Layout>
  );
}
