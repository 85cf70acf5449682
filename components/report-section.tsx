import type { ComponentProps } from "react";
import type { Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import { ReportForm, type ReportFormText } from "./report-form.tsx";

/** Candor's words on the report form in `locale`, for the client component (which never loads the catalogs). */
export function reportFormText(locale: Locale): ReportFormText {
  const t = translator(locale, "report");
  return {
    component: t("component"),
    notSure: t("notSure"),
    description: t("description"),
    descriptionHelp: t("descriptionHelp"),
    email: t("email"),
    emailHelp: t("emailHelp"),
    honeypot: t("honeypot"),
    send: t("send"),
    sending: t("sending"),
    checking: t("checking"),
    private: t("private"),
    needsScript: t("needsScript"),
    fix: t("fix"),
    thanks: t("thanks"),
    thanksBody: t("thanksBody"),
    back: t("back"),
    unsolved: t("unsolved"),
  };
}

/** The /report page's content in the reader's `locale`: its heading, what it is for, and the form. */
export function ReportSection({ locale, pageName, ...form }: { locale: Locale; pageName: string } & Omit<ComponentProps<typeof ReportForm>, "locale" | "text">) {
  const t = translator(locale, "report");
  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("intro", { page: pageName })}</p>
      <ReportForm locale={locale} text={reportFormText(locale)} {...form} />
    </>
  );
}

/** The page's title in `locale`. */
export const reportTitle = (locale: Locale) => translator(locale, "report")("title");
