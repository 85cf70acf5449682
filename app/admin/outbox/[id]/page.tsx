import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireSession } from "#lib/auth/sessions.ts";
import { getOutboxEmail } from "#lib/delivery/outbox.ts";

export const metadata: Metadata = { title: "Outbox email" };

/* One email from the local outbox as it would have been sent (links with tokens redacted below owner). The HTML runs in a sandbox with no scripts. */
export default async function OutboxEmailPage({ params }: { params: Promise<{ id: string }> }) {
  const { db, actor } = await requireSession("viewer");
  const { id } = await params;
  const email = await getOutboxEmail(db, actor, id);
  if (!email) notFound();
  return (
    <div className="space-y-4">
      <p>
        <a href="/admin/outbox" className="text-blue-800 underline">
          ← Outbox
        </a>
      </p>
      <h1 className="text-2xl font-semibold">{email.subject}</h1>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 text-sm">
        <dt>From</dt>
        <dd>{email.sender}</dd>
        <dt>To</dt>
        <dd>{email.recipient}</dd>
        {Object.entries(email.headers).map(([k, v]) => (
          <div key={k} className="contents">
            <dt>{k}</dt>
            <dd className="break-all font-mono">{v}</dd>
          </div>
        ))}
        <dt>Attachments</dt>
        <dd>{email.attachments.length === 0 ? "none" : email.attachments.map((a) => a.filename).join(", ")}</dd>
      </dl>
      <iframe title="Email HTML" sandbox="" srcDoc={email.html ?? ""} className="h-[70vh] w-full rounded border border-gray-300 bg-white" />
      <details>
        <summary>Plain text</summary>
        <pre className="whitespace-pre-wrap rounded border border-gray-300 bg-white p-3 text-sm">{email.text}</pre>
      </details>
      {email.attachments.map((a) => (
        <details key={a.filename}>
          <summary>{a.filename}</summary>
          <pre className="whitespace-pre-wrap rounded border border-gray-300 bg-white p-3 text-sm">{a.content}</pre>
        </details>
      ))}
    </div>
  );
}
