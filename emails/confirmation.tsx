import { Button, Heading, Text } from "@react-email/components";
import { Layout, styles } from "./layout.tsx";
import type { MailPage } from "./types.ts";
import type { MailWords } from "./words.ts";

/* Double opt-in: nothing else is sent until this link is followed. */
export function ConfirmationEmail(props: { page: MailPage; words: MailWords; confirmUrl: string; expiresDays: number }) {
  const { t } = props.words;
  const page = props.page.name;
  return (
    <Layout page={props.page} words={props.words} preview={t("confirm.preview", { page })} reason={t("confirm.reason")}>
      <Heading as="h1" style={{ fontSize: "22px", margin: "0 0 12px", color: "#111827" }}>
        {t("confirm.heading")}
      </Heading>
      <Text style={{ fontSize: "15px", lineHeight: "22px" }}>{t("confirm.body", { page })}</Text>
      <Button href={props.confirmUrl} style={{ backgroundColor: "#111827", color: "#ffffff", padding: "12px 20px", borderRadius: "6px" }}>
        {t("confirm.button")}
      </Button>
      <Text style={styles.small}>{t("confirm.expires", { days: props.expiresDays, url: props.confirmUrl })}</Text>
    </Layout>
  );
}
