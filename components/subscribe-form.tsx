import { LOCALE_NAMES, localePath, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import type { Section } from "#lib/public/status-page.ts";
import { SubmitButton } from "./subscriber-link.tsx";

/* Components to choose from, grouped and ordered as on the page (also the report form's picker). */
export function componentChoices(sections: Section[]) {
  return sections.map((s) =>
    s.kind === "group"
      ? { key: s.id, legend: s.name, components: s.components.map((c) => ({ id: c.id, name: c.name })) }
      : { key: s.component.id, legend: null, components: [{ id: s.component.id, name: s.component.name }] },
  );
}

/*
 * Email + "all components" or a chosen set. A plain form posting to a server
 * action: it works without JavaScript. With no box ticked, the subscription
 * covers every component, including ones added later.
 */
export function ComponentChoice({ sections, selected, locale }: { sections: Section[]; selected: string[] | null; locale: Locale }) {
  const groups = componentChoices(sections);
  const t = translator(locale, "subscribe");
  return (
    <fieldset className="space-y-2">
      <legend className="font-semibold">{t("components")}</legend>
      <p className="muted small">{t("componentsHelp")}</p>
      {groups.map((g) =>
        g.legend ? (
          <fieldset key={g.key} className="ms-1 border-s-2 border-[var(--border)] ps-3">
            <legend className="font-medium">{g.legend}</legend>
            {g.components.map((c) => (
              <label key={c.id} className="flex items-center gap-2 py-0.5">
                <input type="checkbox" name="components" value={c.id} defaultChecked={selected?.includes(c.id) ?? false} /> {c.name}
              </label>
            ))}
          </fieldset>
        ) : (
          <label key={g.key} className="flex items-center gap-2 py-0.5">
            <input type="checkbox" name="components" value={g.components[0].id} defaultChecked={selected?.includes(g.components[0].id) ?? false} />{" "}
            {g.components[0].name}
          </label>
        ),
      )}
    </fieldset>
  );
}

/*
 * The language of a subscriber's emails: a choice among the page's locales,
 * each named in its own language. With one locale there is nothing to
 * choose; the form still says which one it is in.
 */
export function LanguageChoice({ locales, selected, label }: { locales: readonly Locale[]; selected: Locale; label: string }) {
  if (locales.length < 2) return <input type="hidden" name="locale" value={selected} />;
  return (
    <label className="block">
      <span>{label}</span>
      <select
        name="locale"
        defaultValue={selected}
        className="mt-1 block rounded-md border border-[var(--border)] bg-[var(--surface)] px-3 py-2 text-[var(--text)]"
      >
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SubscribeForm({
  sections,
  action,
  compact = false,
  locales,
  locale,
  defaultLocale,
}: {
  sections: Section[];
  action: (form: FormData) => Promise<void>;
  /** On the status page: email only, components on the subscribe page. */
  compact?: boolean;
  /** The languages the emails may be in (the page's). */
  locales: readonly Locale[];
  /** The locale of the page the form is on: its words, and the emails' language unless the reader picks another. */
  locale: Locale;
  defaultLocale: Locale;
}) {
  const t = translator(locale, "subscribe");
  return (
    <section aria-labelledby="subscribe-heading" className="card stack">
      <h2 id="subscribe-heading">{t("emailHeading")}</h2>
      <form action={action} className="stack">
        <input type="hidden" name="pageLocale" value={locale} />
        <label className="block">
          <span>{t("email")}</span>
          <input type="email" name="email" required autoComplete="email" maxLength={320} className="mt-1 block w-full max-w-md rounded-md border border-[var(--border)] bg-[var(--surface)] px-3 py-2 text-[var(--text)]" />
        </label>
        {compact ? (
          <p className="muted small">
            {t("everyComponent")} <a href={localePath(locale, "/subscribe", defaultLocale)}>{t("chooseComponents")}</a>
          </p>
        ) : (
          <ComponentChoice sections={sections} selected={null} locale={locale} />
        )}
        <LanguageChoice locales={locales} selected={locale} label={t("emailLanguage")} />
        <SubmitButton>{t("submit")}</SubmitButton>
        <p className="muted small">{t("confirmNote")}</p>
      </form>
    </section>
  );
}

/*
 * A webhook, Slack, Discord or Teams URL instead of an address. A plain
 * form (works without JavaScript); the endpoint is sent a confirm link and
 * hears nothing else until someone with access to it follows the link.
 */
export function ChannelSubscribeForm({
  action,
  locales,
  locale,
}: {
  action: (form: FormData) => Promise<void>;
  /** As SubscribeForm's: the language of the messages' own words. */
  locales: readonly Locale[];
  locale: Locale;
}) {
  const t = translator(locale, "subscribe");
  return (
    <section aria-labelledby="channel-subscribe-heading" className="card stack">
      <h2 id="channel-subscribe-heading">{t("channelHeading")}</h2>
      <form action={action} className="stack">
        <input type="hidden" name="pageLocale" value={locale} />
        <label className="block">
          <span>{t("channelUrl")}</span>
          <input
            type="url"
            name="url"
            required
            maxLength={2048}
            autoComplete="off"
            placeholder="https://hooks.slack.com/services/…"
            className="mt-1 block w-full max-w-xl rounded-md border border-[var(--border)] bg-[var(--surface)] px-3 py-2 text-[var(--text)]"
          />
        </label>
        <LanguageChoice locales={locales} selected={locale} label={t("messageLanguage")} />
        <SubmitButton>{t("channelSubmit")}</SubmitButton>
        <p className="muted small">{t("channelNote")}</p>
      </form>
    </section>
  );
}
