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

/* Owners and editors: customers report a problem with one component, many at once. */
export function ReportSpikeEmail(props: { page: MailPage; spike: ReportSpike; subject: string }) {
  const { spike } = props;
  return (
    <Layout page={props.page} preview={props.subject} reason="You are an owner or editor of this status page, and reports are on.">
      <Heading as="h1" style={{ fontSize: "22px", margin: "0 0 12px", color: "#111827" }}>
        {props.subject}
      </Heading>
      <Text style={{ fontSize: "15px", lineHeight: "22px" }}>
        {spike.count} problem reports within {spike.minutes} minutes for {spike.componentName ?? "“not sure / the whole service”"}. The newest:
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
