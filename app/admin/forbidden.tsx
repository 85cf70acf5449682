/* What a signed-in user whose role is too low sees, with HTTP 403 (lib/auth/sessions.ts requireActor). */
export default function AdminForbidden() {
  return (
    <div role="alert" className="rounded border border-amber-400 bg-amber-50 p-4">
      <h2 className="text-lg font-semibold">Your role does not allow this</h2>
      <p className="mt-1">
        Owners manage users, settings and API keys; editors write incidents, components, maintenance and templates;
        viewers read. Ask an owner if you need more.
      </p>
      <p className="mt-2">
        <a href="/admin" className="underline">
          Back to the admin area
        </a>
      </p>
    </div>
  );
}
