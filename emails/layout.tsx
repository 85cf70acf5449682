import { Body, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import type { MailLinks, MailPage } from "./types.ts";

const body = { backgroundColor: "#f3f4f6", fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", margin: 0 };
const container = { backgroundColor: "#ffffff", maxWidth: "600px", margin: "0 auto", padding: "24px" };
const small = { color: "#4b5563", fontSize: "13px", lineHeight: "20px" };

/* The frame every email shares: page name, content, and the footer links (manage, unsubscribe) when there are any. */
export function Layout(props: { page: MailPage; preview: string; links?: MailLinks; reason: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Text style={{ fontSize: "14px", fontWeight: 600, color: "#111827", margin: "0 0 16px" }}>
            <Link href={props.page.url} style={{ color: "#111827" }}>
              {props.page.name}
            </Link>
          </Text>
          {props.children}
          <Hr style={{ borderColor: "#e5e7eb", margin: "24px 0 12px" }} />
          <Section>
            <Text style={small}>{props.reason}</Text>
            {props.links ? (
              <Text style={small}>
                <Link href={props.links.manage}>Choose components</Link>
                {" · "}
                <Link href={props.links.unsubscribe}>Unsubscribe</Link>
              </Text>
            ) : null}
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

export const styles = { small };
