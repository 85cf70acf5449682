import { Button, Heading, Text } from "@react-email/components";
import { Layout, styles } from "./layout.tsx";
import type { MailPage } from "./types.ts";

/** One line of the digest: a figure, this month and the month before, as the report shows them. */
export interface DigestFigure {
  label: string;
  current: string;
  previous: string;
}

export interface ReliabilityDigest {
  /** "October 2026". */
  monthLabel: string;
  figures: DigestFigure[];
  reportUrl: string;
}

/* Owners who opted in: last month's headline figures beside the month before, and a link to the whole report. */
export function ReliabilityDigestEmail(props: { page: MailPage; digest: ReliabilityDigest; subject: string }) {
  const { digest } = props;
  const cell = { padding: "4px 8px", fontSize: "14px", borderBottom: "1px solid #e5e7eb" };
  return (
    <Layout page={props.page} preview={props.subject} reason="You are an owner of this status page and asked for the monthly reliability digest (Settings).">
      <Heading as="h1" style={{ fontSize: "22px", margin: "0 0 12px", color: "#111827" }}>
        {props.subject}
      </Heading>
      <table style={{ borderCollapse: "collapse", width: "100%" }}>
        <thead>
          <tr>
            <th style={{ ...cell, textAlign: "left" }}>Figure</th>
            <th style={{ ...cell, textAlign: "right" }}>{digest.monthLabel}</th>
            <th style={{ ...cell, textAlign: "right" }}>Month before</th>
          </tr>
        </thead>
        <tbody>
          {digest.figures.map((f) => (
            <tr key={f.label}>
              <td style={cell}>{f.label}</td>
              <td style={{ ...cell, textAlign: "right" }}>{f.current}</td>
              <td style={{ ...cell, textAlign: "right", color: "#4b5563" }}>{f.previous}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Text style={styles.small}>Durations are medians from detection; the report has the 90th percentiles, the counts and every other figure.</Text>
      <Button href={digest.reportUrl} style={{ backgroundColor: "#111827", color: "#ffffff", padding: "12px 20px", borderRadius: "6px" }}>
        The whole report
      </Button>
    </Layout>
  );
}
