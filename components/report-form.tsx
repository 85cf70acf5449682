"use client";

import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/web/pbkdf2";
import { startTransition, useActionState, useEffect, useRef, useState, type FormEvent } from "react";
import type { FormState } from "#lib/core/forms.ts";
import type { Locale } from "#lib/core/locales.ts";
import { SubmitButton } from "./subscriber-link.tsx";

export interface ComponentChoiceGroup {
  key: string;
  /** null: a component outside any group. */
  legend: string | null;
  components: { id: string; name: string }[];
}

/** Candor's words on the form, in the reader's locale (./report-text.ts reportFormText): a client component gets them as props, not the catalogs. */
export type ReportFormText = Record<
  | "component"
  | "notSure"
  | "description"
  | "descriptionHelp"
  | "email"
  | "emailHelp"
  | "honeypot"
  | "send"
  | "sending"
  | "checking"
  | "private"
  | "needsScript"
  | "fix"
  | "thanks"
  | "thanksBody"
  | "back"
  | "unsolved",
  string
>;

/** The fields an error can name, in the form's order; each error is a sentence naming its field (lib/domain/problem-reports.ts). */
const FIELDS = ["component", "description", "email", "challenge"];
const inputClass = "mt-1 block w-full max-w-md rounded-md border border-[var(--border)] bg-[var(--surface)] px-3 py-2 text-[var(--text)]";
const errorClass = "small text-red-700 dark:text-red-300";

/*
 * The report form: a plain form posting to a server action, so it works
 * without JavaScript (the action redirects back with the errors or the
 * confirmation in the URL); with JavaScript, the same action answers in
 * place and keeps what was typed. Errors
 * are listed in a summary that takes focus and links to each field, and
 * each field names its error (aria-describedby). The hidden `locale` tells
 * the action which language to answer in.
 */
export function ReportForm({
  locale,
  text,
  home,
  action,
  initial,
  groups,
  honeypot,
  challenge,
}: {
  locale: Locale;
  text: ReportFormText;
  /** The status page in the reader's locale. */
  home: string;
  action: (state: FormState, form: FormData) => Promise<FormState>;
  /** The answer to a post without JavaScript, from the URL. */
  initial: FormState;
  groups: ComponentChoiceGroup[];
  /** The hidden field's name a person leaves empty (lib/domain/problem-reports.ts). */
  honeypot: string;
  /** The proof of work is on: the browser solves one before sending (lib/domain/report-challenges.ts). */
  challenge?: { field: string; url: string };
}) {
  const [state, formAction, pending] = useActionState(action, initial);
  const [solving, setSolving] = useState(false);
  const [solveError, setSolveError] = useState<string | null>(null);
  // With the proof of work on, the script solves a fresh challenge, then posts the same form data.
  async function solveAndSend(event: FormEvent<HTMLFormElement>) {
    if (!challenge) return;
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSolving(true);
    setSolveError(null);
    try {
      const response = await fetch(challenge.url, { cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      const issued = (await response.json()) as Challenge;
      const solution = await solveChallenge({ challenge: issued, deriveKey });
      if (!solution) throw new Error("unsolved");
      form.set(challenge.field, btoa(JSON.stringify({ challenge: { parameters: issued.parameters, signature: issued.signature }, solution })));
      startTransition(() => formAction(form));
    } catch {
      setSolveError(text.unsolved);
    } finally {
      setSolving(false);
    }
  }
  const summary = useRef<HTMLDivElement>(null);
  const done = useRef<HTMLDivElement>(null);
  useEffect(() => {
    (state.ok ? done : summary).current?.focus();
  }, [state, solveError]);

  if (state.ok) {
    return (
      <div ref={done} tabIndex={-1} role="status" className="card stack">
        <h2>{text.thanks}</h2>
        <p>{text.thanksBody}</p>
        <p>
          <a href={home}>{text.back}</a>
        </p>
      </div>
    );
  }

  const errors = { ...(state.errors ?? {}) };
  const message = solveError ?? state.message;
  const problems = FIELDS.filter((field) => errors[field]).map((field) => [field, errors[field]] as const);
  const value = (name: string) => state.values?.[name] ?? "";
  const describedBy = (name: string, help?: string) => [errors[name] ? `report-${name}-error` : "", help ?? ""].filter(Boolean).join(" ") || undefined;
  // Re-keyed on each answer so the kept values re-apply.
  const key = JSON.stringify(state.values ?? {});
  return (
    <form action={formAction} onSubmit={challenge ? solveAndSend : undefined} className="card stack" noValidate key={key}>
      {/* Said to everyone (a <noscript> note does not survive the streamed render): without JavaScript the report cannot be sent. */}
      <input type="hidden" name="locale" value={locale} />
      {challenge ? <p className="muted small">{text.needsScript}</p> : null}
      {message || problems.length > 0 ? (
        <div ref={summary} tabIndex={-1} role="alert" aria-labelledby="report-summary-heading" className="stack">
          <h2 id="report-summary-heading">{message ?? text.fix}</h2>
          {problems.length > 0 ? (
            <ul>
              {problems.map(([field, message]) => (
                <li key={field}>
                  {field === "challenge" ? message : <a href={`#report-${field}`}>{message}</a>}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <label className="block" htmlFor="report-component">
        <span>{text.component}</span>
      </label>
      <select
        id="report-component"
        name="component"
        defaultValue={value("component")}
        className={inputClass}
        aria-invalid={!!errors.component}
        aria-describedby={describedBy("component")}
      >
        <option value="">{text.notSure}</option>
        {groups.map((g) =>
          g.legend ? (
            <optgroup key={g.key} label={g.legend}>
              {g.components.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </optgroup>
          ) : (
            <option key={g.key} value={g.components[0].id}>
              {g.components[0].name}
            </option>
          ),
        )}
      </select>
      {errors.component ? (
        <p id="report-component-error" className={errorClass}>
          {errors.component}
        </p>
      ) : null}
      <label className="block" htmlFor="report-description">
        <span>{text.description}</span>
      </label>
      <p id="report-description-help" className="muted small">
        {text.descriptionHelp}
      </p>
      <textarea
        id="report-description"
        name="description"
        rows={6}
        required
        minLength={10}
        maxLength={2000}
        defaultValue={value("description")}
        className={inputClass}
        aria-invalid={!!errors.description}
        aria-describedby={describedBy("description", "report-description-help")}
      />
      {errors.description ? (
        <p id="report-description-error" className={errorClass}>
          {errors.description}
        </p>
      ) : null}
      <label className="block" htmlFor="report-email">
        <span>{text.email}</span>
      </label>
      <p id="report-email-help" className="muted small">
        {text.emailHelp}
      </p>
      <input
        id="report-email"
        type="email"
        name="email"
        autoComplete="email"
        maxLength={320}
        defaultValue={value("email")}
        className={inputClass}
        aria-invalid={!!errors.email}
        aria-describedby={describedBy("email", "report-email-help")}
      />
      {errors.email ? (
        <p id="report-email-error" className={errorClass}>
          {errors.email}
        </p>
      ) : null}
      {/* Out of sight and out of the tab order: a person leaves it empty; a bot that fills every field gives itself away. */}
      <div aria-hidden="true" className="absolute -left-[10000px] h-px w-px overflow-hidden">
        <label>
          {text.honeypot}
          <input type="text" name={honeypot} tabIndex={-1} autoComplete="off" defaultValue="" />
        </label>
      </div>
      <SubmitButton>{solving ? text.checking : pending ? text.sending : text.send}</SubmitButton>
      <p className="muted small">{text.private}</p>
    </form>
  );
}
