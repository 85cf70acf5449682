import { Button, Heading, Text } from "@react-email/components";
import { Layout, styles } from "./layout.tsx";
import type { MailPage } from "./types.ts";

/* Double opt-in: nothing else is sent until this link is followed. */
export function ConfirmationEmail(props: { page: MailPage; confirmUrl: string; expiresDays: number }) {
  return (
    <Layout
      page={props.page}
      preview={`Confirm your subscription to ${props.page.name} status updates`}
      reason="Someone (hopefully you) asked to receive status updates at this address. If it wasn't you, ignore this email: nothing will be sent."
    >
      <Heading as="h1" style={{ fontSize: "22px", margin: "0 0 12px", color: "#111827" }}>
        Confirm your subscription
      </Heading>
      <Text style={{ fontSize: "15px", lineHeight: "22px" }}>
        Confirm to receive an email whenever {props.page.name} posts an incident or maintenance update.
      </Text>
      <Button href={props.confirmUrl} style={{ backgroundColor: "#111827", color: "#ffffff", padding: "12px 20px", borderRadius: "6px" }}>
        Confirm subscription
      </Button>
      <Text style={styles.small}>
        The link expires in {props.expiresDays} days. Or paste it into your browser: {props.confirmUrl}
      </Text>
    </Layout>
  );
}
