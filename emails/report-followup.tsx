import { Button, Heading, Link, Text } from "@react-email/components";
import { Layout, styles } from "./layout.tsx";
import type { MailPage } from "./types.ts";
import type { MailWords } from "./words.ts";

export interface ReportFollowup {
  incidentName: string;
  /** When the first of this address's reports came in. */
  reportedAt: Date;
  /** null: "not sure / the whole service". */
  componentName: string | null;
  incidentUrl: string;
  optOutUrl: string;
}

export function followupSummary(followup: ReportFollowup, words: MailWords): string {
  const values = { when: words.at(followup.reportedAt), name: followup.incidentName };
  return followup.componentName
    ? words.t("followup.summaryComponent", { ...values, component: followup.componentName })
    : words.t("followup.summary", values);
}

/* A reporter who left an address: told once, in the page's language, that what they reported is fixed. */
export function ReportFollowupEmail(props: { page: MailPage; words: MailWords; followup: ReportFollowup; subject: string }) {
  const { followup, words } = props;
  const { t } = words;
  return (
    <Layout page={props.page} words={words} preview={props.subject} reason={t("followup.reason")}>
      <Heading as="h1" style={{ fontSize: "22px", margin: "0 0 12px", color: "#111827" }}>
        {props.subject}
      </Heading>
      <Text style={{ fontSize: "15px", lineHeight: "22px" }}>{followupSummary(followup, words)}</Text>
      <Text style={{ fontSize: "15px", lineHeight: "22px" }}>{t("followup.thanks")}</Text>
      <Button href={followup.incidentUrl} style={{ backgroundColor: "#111827", color: "#ffffff", padding: "12px 20px", borderRadius: "6px" }}>
        {t("followup.read")}
      </Button>
      <Text style={styles.small}>
        <Link href={followup.optOutUrl}>{t("followup.optOut")}</Link>
      </Text>
    </Layout>
  );
}
