import { Button, Heading, Text } from "@react-email/components";
import { Layout, styles } from "./layout.tsx";
import type { MailPage } from "./types.ts";

/* An owner invited this address to the admin area; the link works once. */
export function InviteEmail(props: { page: MailPage; inviteUrl: string; role: string; expiresAt: string }) {
  return (
    <Layout
      page={props.page}
      preview={`You are invited to the ${props.page.name} status page admin`}
      reason="An owner of this status page invited this address. If you don't expect it, ignore this email."
    >
      <Heading as="h1" style={{ fontSize: "22px", margin: "0 0 12px", color: "#111827" }}>
        Join the {props.page.name} status page admin
      </Heading>
      <Text style={{ fontSize: "15px", lineHeight: "22px" }}>
        You are invited as {props.role}. Follow the link to choose your password.
      </Text>
      <Button href={props.inviteUrl} style={{ backgroundColor: "#111827", color: "#ffffff", padding: "12px 20px", borderRadius: "6px" }}>
        Accept the invite
      </Button>
      <Text style={styles.small}>
        The link works once and expires {props.expiresAt}. Or paste it into your browser: {props.inviteUrl}
      </Text>
    </Layout>
  );
}
