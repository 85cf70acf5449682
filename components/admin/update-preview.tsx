/** What the server sends back for a preview: the rendered update, who would hear of it, and what still blocks publishing. */
export interface UpdatePreviewView {
  title: string;
  html: string;
  recipients: number | null;
  delivery?: { mode: string; seconds: number };
  missing: string[];
  emailHtml?: string | null;
}

/* The composer's right-hand side: exactly what customers and subscribers will get. */
export function UpdatePreview({ preview, statusLabel, notify }: { preview: UpdatePreviewView | undefined; statusLabel: string | undefined; notify: boolean }) {
  return (
    <section aria-labelledby="preview-heading" aria-live="polite" className="rounded border border-gray-300 bg-white p-4">
      <h2 id="preview-heading" className="mb-2 font-semibold">
        Preview
      </h2>
      {preview ? (
        <div>
          {preview.missing.length > 0 ? (
            <p role="alert" className="mb-2 rounded bg-amber-50 p-2 text-amber-900">
              Cannot publish yet: fill {preview.missing.map((m) => `{{${m}}}`).join(", ")}.
            </p>
          ) : null}
          <p className="text-sm text-gray-700">On the public page:</p>
          <article className="my-2 rounded border border-gray-200 p-3">
            {preview.title ? <h3 className="text-lg font-semibold">{preview.title}</h3> : null}
            <p className="text-sm font-medium">{statusLabel}</p>
            <div className="admin-prose" dangerouslySetInnerHTML={{ __html: preview.html }} />
          </article>
          <p className="text-sm">{recipientsText(preview, notify)}</p>
          {notify && preview.emailHtml ? (
            <details className="mt-2">
              <summary className="text-sm">The email as it will go out</summary>
              <iframe title="Email preview" sandbox="" srcDoc={preview.emailHtml} className="mt-2 h-96 w-full border border-gray-200" />
            </details>
          ) : null}
        </div>
      ) : (
        <p className="text-sm text-gray-700">Press Preview to see exactly what customers and subscribers will get.</p>
      )}
    </section>
  );
}

/** Who will be told, how, and how long sending takes. */
function recipientsText(preview: UpdatePreviewView, notify: boolean): string {
  if (!notify) return "Subscribers will not be notified.";
  if (preview.recipients === null) return "Subscribers will be notified.";
  const n = preview.recipients;
  const how =
    preview.delivery && n > 0
      ? ` (${preview.delivery.mode === "batch" ? "batched, timeline in the body" : "one email each, timeline attached"}; delivered in about ${formatSeconds(preview.delivery.seconds)})`
      : "";
  return `${n} subscriber${n === 1 ? "" : "s"} will be notified by email${how}.`;
}

/** "45 s", "3 min", "1 h 20 min" for the delivery estimate. */
function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, seconds)} s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
