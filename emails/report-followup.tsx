import { Button, Heading, Link, Text } from "@react-email/components";
import { Layout, styles } from "./layout.tsx";
import type { MailPage } from "./types.ts";

export interface ReportFollowup {
  incidentName: string;
  /** When the first of this address's reports came in, as the page's zone shows it. */
  reportedAt: string;
  /** null: "not sure / the whole service". */
  componentName: string | null;
  incidentUrl: string;
  optOutUrl: string;
}

export function followupSummary(followup: ReportFollowup): string {
  const what = followup.componentName ? ` with ${followup.componentName}` : "";
  return `On ${followup.reportedAt} you reported a problem${what}. The team linked your report to “${followup.incidentName}”, which is now resolved.`;
}

/* A reporter who left an address: told once that what they reported is fixed. */
export function ReportFollowupEmail(props: { page: MailPage; followup: ReportFollowup; subject: string }) {
  const { followup } = props;
  return (
    <Layout page={props.page} preview={props.subject} reason="You left this address when you reported a problem, to hear back once it is fixed. This is the only email about that report.">
      <Heading as="h1" style={{ fontSize: "22px", margin: "0 0 12px", color: "#111827" }}>
        {props.subject}
      </Heading>
      <Text style={{ fontSize: "15px", lineHeight: "22px" }}>{followupSummary(followup)}</Text>
      <Text style={{ fontSize: "15px", lineHeight: "22px" }}>Thank you for telling us. If you still see the problem, please report it again.</Text>
      <Button href={followup.incidentUrl} style={{ backgroundColor: "#111827", color: "#ffffff", padding: "12px 20px", borderRadius: "6px" }}>
        Read what happened
      </Button>
      <Text style={styles.small}>
        <Link href={followup.optOutUrl}>Never email me about my reports</Link>
      </Text>
    </Layout>
  );
}
