"use client";

/*
 * What an admin page shows when it cannot render (a role too low gets
 * forbidden.tsx instead). Server errors reach here without their message, by design.
 */
export default function AdminError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded border border-amber-400 bg-amber-50 p-4">
      <h2 className="text-lg font-semibold">This page is not available</h2>
      <p className="mt-1">Something failed on our side. Try again in a moment.</p>
      {error.digest ? <p className="mt-1 text-sm text-gray-700">Reference: {error.digest}</p> : null}
      <button type="button" onClick={reset} className="mt-3 rounded border border-gray-400 px-3 py-1">
        Try again
      </button>
    </div>
  );
}
