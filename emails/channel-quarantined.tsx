import { Heading, Link, Text } from "@react-email/components";
import { Layout, styles } from "./layout.tsx";
import type { MailPage } from "./types.ts";

export interface QuarantineNotice {
  /** "Webhook", "Slack", …; the host only, never the URL (it may be a credential). */
  channel: string;
  host: string;
  lastError: string;
  adminUrl: string;
}

/* The contact of a channel subscriber: its endpoint kept failing, nothing more is sent until re-enabled. */
export function ChannelQuarantinedEmail(props: { page: MailPage; notice: QuarantineNotice; subject: string }) {
  const { notice } = props;
  return (
    <Layout page={props.page} preview={props.subject} reason="You are the contact of a channel that receives this status page's notifications.">
      <Heading as="h1" style={{ fontSize: "22px", margin: "0 0 12px", color: "#111827" }}>
        {props.subject}
      </Heading>
      <Text style={{ fontSize: "15px", lineHeight: "22px" }}>
        The {notice.channel} endpoint on {notice.host} kept failing, so it no longer receives notifications. The last error was:
      </Text>
      <Text style={{ fontSize: "14px", lineHeight: "20px", whiteSpace: "pre-wrap", borderLeft: "3px solid #e5e7eb", paddingLeft: "12px" }}>
        {notice.lastError}
      </Text>
      <Text style={styles.small}>
        Once it works again, ask the page's admins to re-enable it: <Link href={notice.adminUrl}>{notice.adminUrl}</Link>
      </Text>
    </Layout>
  );
}
