"use client";

/*
 * What an admin page shows when it cannot render: most often a role that
 * lacks the right (settings, users and API keys are for owners; writing is
 * for editors). Server errors reach here without their message, by design.
 */
export default function AdminError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded border border-amber-400 bg-amber-50 p-4">
      <h2 className="text-lg font-semibold">This page is not available</h2>
      <p className="mt-1">
        Your role may not allow it — owners manage users, settings and API keys; editors write incidents, components,
        maintenance and templates — or something failed on our side.
      </p>
      {error.digest ? <p className="mt-1 text-sm text-gray-700">Reference: {error.digest}</p> : null}
      <button type="button" onClick={reset} className="mt-3 rounded border border-gray-400 px-3 py-1">
        Try again
      </button>
    </div>
  );
}
