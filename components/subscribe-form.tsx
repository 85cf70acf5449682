import { LOCALE_NAMES, type Locale } from "#lib/core/locales.ts";
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
export function ComponentChoice({ sections, selected }: { sections: Section[]; selected: string[] | null }) {
  const groups = componentChoices(sections);
  return (
    <fieldset className="space-y-2">
      <legend className="font-semibold">Components</legend>
      <p className="muted small">Leave all unticked to hear about every component, including new ones.</p>
      {groups.map((g) =>
        g.legend ? (
          <fieldset key={g.key} className="ml-1 border-l-2 border-[var(--border)] pl-3">
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
export function LanguageChoice({ locales, selected, label = "Email language" }: { locales: readonly Locale[]; selected: Locale; label?: string }) {
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
  locales = [],
  locale,
}: {
  sections: Section[];
  action: (form: FormData) => Promise<void>;
  /** On the status page: email only, components on the subscribe page. */
  compact?: boolean;
  /** The languages the emails may be in (the page's); none: no choice shown. */
  locales?: readonly Locale[];
  /** The locale of the page the form is on: the language chosen unless the reader picks another. */
  locale?: Locale;
}) {
  const selected = locale ?? locales[0];
  return (
    <section aria-labelledby="subscribe-heading" className="card stack">
      <h2 id="subscribe-heading">Get updates by email</h2>
      <form action={action} className="stack">
        <label className="block">
          <span>Email address</span>
          <input type="email" name="email" required autoComplete="email" maxLength={320} className="mt-1 block w-full max-w-md rounded-md border border-[var(--border)] bg-[var(--surface)] px-3 py-2 text-[var(--text)]" />
        </label>
        {compact ? (
          <p className="muted small">
            Every component. <a href="/subscribe">Choose components</a>
          </p>
        ) : (
          <ComponentChoice sections={sections} selected={null} />
        )}
        {selected ? <LanguageChoice locales={locales.length > 0 ? locales : [selected]} selected={selected} /> : null}
        <SubmitButton>Subscribe</SubmitButton>
        <p className="muted small">We&apos;ll email you a link to confirm. Every email has a one-click unsubscribe.</p>
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
  locales = [],
  locale,
}: {
  action: (form: FormData) => Promise<void>;
  /** As SubscribeForm's: the language of the messages' own words. */
  locales?: readonly Locale[];
  locale?: Locale;
}) {
  const selected = locale ?? locales[0];
  return (
    <section aria-labelledby="channel-subscribe-heading" className="card stack">
      <h2 id="channel-subscribe-heading">Get updates in Slack, Discord, Teams or a webhook</h2>
      <form action={action} className="stack">
        <label className="block">
          <span>Incoming webhook URL</span>
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
        {selected ? <LanguageChoice locales={locales.length > 0 ? locales : [selected]} selected={selected} label="Message language" /> : null}
        <SubmitButton>Send a confirmation there</SubmitButton>
        <p className="muted small">
          Slack, Discord and Teams Workflows URLs get native messages; any other HTTPS URL gets signed JSON. The channel first receives a
          link to confirm; incidents and maintenance for every component follow once it is confirmed.
        </p>
      </form>
    </section>
  );
}
