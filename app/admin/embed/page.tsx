import type { Metadata } from "next";
import { EmbedSettings } from "#components/admin/embed-settings.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { pageUrl } from "#lib/core/page-url.ts";
import { listComponents } from "#lib/domain/components.ts";
import { EMBED_POSITIONS, getEmbedConfig } from "#lib/domain/embed-config.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { saveEmbedConfigAction } from "./actions.ts";

export const metadata: Metadata = { title: "Embed" };

/* The snippets that put the status inside a customer's product, the Statuspage-compatible embed's settings, and previews. */
export default async function EmbedPage() {
  const { db, actor } = await requireSession("viewer");
  const [config, page, components] = await Promise.all([getEmbedConfig(db), getPage(db), listComponents(db)]);
  const origin = pageUrl(page.url);
  const widget = `<script src="${origin}/embed.js" async></script>\n<candor-status mode="banner"></candor-status>`;
  const statuspage = `<script src="${origin}/embed/script.js"></script>`;
  const { updated_at: _updated, ...values } = config;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Embed</h1>
      <section aria-labelledby="widget-heading" className="space-y-2">
        <h2 id="widget-heading" className="text-lg font-semibold">
          In-app widget
        </h2>
        <p className="text-sm text-gray-700">
          Paste into your product. <code>mode</code> is <code>banner</code> (top of the page; nothing when all is well), <code>toast</code> (a
          corner card; <code>position=&quot;top-left&quot;</code> and the like move it) or <code>badge</code> (a dot and a line of text).{" "}
          <code>components=&quot;id,id&quot;</code> shows only what affects those components. Colours follow the host&apos;s font and light or dark
          scheme; <code>--candor-incident-background</code>, <code>--candor-incident-text</code> and the <code>maintenance</code> pair override them.
        </p>
        <pre className="overflow-x-auto rounded bg-gray-900 p-3 text-sm text-gray-50">
          <code>{widget}</code>
        </pre>
        {components.length ? (
          <details className="text-sm">
            <summary>Component ids</summary>
            <ul className="mt-1 list-inside list-disc">
              {components.map((c) => (
                <li key={c.id}>
                  {c.name}: <code>{c.id}</code>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>
      <section aria-labelledby="statuspage-heading" className="space-y-2">
        <h2 id="statuspage-heading" className="text-lg font-semibold">
          Statuspage-compatible embed
        </h2>
        <p className="text-sm text-gray-700">
          For a site that embedded Statuspage: swap the host and keep the rest. A frame appears in a corner while an incident is open or
          maintenance is in progress.
        </p>
        <pre className="overflow-x-auto rounded bg-gray-900 p-3 text-sm text-gray-50">
          <code>{statuspage}</code>
        </pre>
      </section>
      <EmbedSettings values={values} positions={[...EMBED_POSITIONS]} canEdit={actor.role === "owner"} action={saveEmbedConfigAction} />
    </div>
  );
}
