import type { Metadata } from "next";
import { Time } from "#components/time.tsx";
import { listApiKeys } from "#lib/domain/api-keys.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { createKey, revokeKey } from "./actions.ts";
import { CreateKeyForm } from "./create-key-form.tsx";

export const metadata: Metadata = { title: "API keys" };

const ZONE = "Etc/UTC";

/* Owners only: keys let alerting tools and scripts use the management API (/api/v1). */
export default async function ApiKeysPage() {
  const { db } = await requireSession("owner");
  const keys = await listApiKeys(db);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="mt-1 max-w-2xl text-gray-700">
          Keys authenticate alerting tools and scripts on the{" "}
          <a href="/api/v1/openapi.json" className="text-blue-800 underline">
            management API
          </a>{" "}
          (<code>Authorization: Bearer &lt;key&gt;</code>). A read key lists and reads; a write key can also declare
          incidents, post updates, change component statuses and schedule maintenance. Their writes appear in the audit
          log under the key&apos;s name.
        </p>
      </div>
      <section aria-labelledby="create-key" className="rounded border border-gray-300 bg-white p-4">
        <h2 id="create-key" className="mb-2 text-lg font-semibold">
          Create a key
        </h2>
        <CreateKeyForm action={createKey} />
      </section>
      <section aria-labelledby="keys">
        <h2 id="keys" className="mb-2 text-lg font-semibold">
          Keys
        </h2>
        {keys.length === 0 ? (
          <p className="text-gray-700">No API keys yet.</p>
        ) : (
          <table className="w-full border-collapse bg-white text-sm">
            <thead>
              <tr className="border-b border-gray-300 text-left">
                <th scope="col" className="p-2">Name</th>
                <th scope="col" className="p-2">Scope</th>
                <th scope="col" className="p-2">Key</th>
                <th scope="col" className="p-2">Created</th>
                <th scope="col" className="p-2">Last used</th>
                <th scope="col" className="p-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} className={`border-b border-gray-200 ${key.revoked_at ? "text-gray-600" : ""}`}>
                  <th scope="row" className="p-2 text-left font-medium">
                    {key.name}
                  </th>
                  <td className="p-2">{key.scope}</td>
                  <td className="p-2 font-mono">{key.token_prefix}…</td>
                  <td className="p-2">
                    <Time date={key.created_at} zone={ZONE} /> by {key.created_by}
                  </td>
                  <td className="p-2">{key.last_used_at ? <Time date={key.last_used_at} zone={ZONE} /> : "never"}</td>
                  <td className="p-2">
                    {key.revoked_at ? (
                      <span>
                        Revoked <Time date={key.revoked_at} zone={ZONE} />
                        {key.revoked_by ? ` by ${key.revoked_by}` : ""}
                      </span>
                    ) : (
                      // Two steps, without JavaScript: revoking breaks whatever uses the key, at once.
                      <details>
                        <summary className="cursor-pointer text-red-800 underline" aria-label={`Revoke ${key.name}…`}>
                          Revoke…
                        </summary>
                        <form action={revokeKey} className="mt-1">
                          <input type="hidden" name="id" value={key.id} />
                          <p className="text-gray-700">Anything using this key stops working immediately.</p>
                          <button
                            type="submit"
                            aria-label={`Revoke ${key.name} now`}
                            className="mt-1 rounded bg-red-700 px-2 py-1 font-medium text-white hover:bg-red-800"
                          >
                            Revoke now
                          </button>
                        </form>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
