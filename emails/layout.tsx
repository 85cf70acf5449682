import { Body, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import type { MailLinks, MailPage } from "./types.ts";
import type { MailWords } from "./words.ts";

const body = { backgroundColor: "#f3f4f6", fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", margin: 0 };
const container = { backgroundColor: "#ffffff", maxWidth: "600px", margin: "0 auto", padding: "24px" };
const small = { color: "#4b5563", fontSize: "13px", lineHeight: "20px" };

/*
 * The frame every email shares: page name, content, and the footer links
 * (manage, unsubscribe) when there are any. `words` is the reader's language
 * (subscriber emails); without it the email is English (the admins' emails).
 * The direction is set on <html> and again on the container, which survives
 * clients that drop the <html> element's attributes.
 */
export function Layout(props: { page: MailPage; preview: string; links?: MailLinks; reason: string; words?: MailWords; children: ReactNode }) {
  const { words } = props;
  const dir = words?.dir ?? "ltr";
  return (
    <Html lang={words?.locale ?? "en"} dir={dir}>
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={body}>
        <Container style={container} dir={dir}>
          <Text style={{ fontSize: "14px", fontWeight: 600, color: "#111827", margin: "0 0 16px" }}>
            <Link href={props.page.url} style={{ color: "#111827" }}>
              {props.page.name}
            </Link>
          </Text>
          {props.children}
          <Hr style={{ borderColor: "#e5e7eb", margin: "24px 0 12px" }} />
          <Section>
            <Text style={small}>{props.reason}</Text>
            {props.links && words ? (
              <Text style={small}>
                <Link href={props.links.manage}>{words.t("footer.manage")}</Link>
                {" · "}
                <Link href={props.links.unsubscribe}>{words.t("footer.unsubscribe")}</Link>
              </Text>
            ) : null}
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

export const styles = { small };
