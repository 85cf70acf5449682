import type { Role } from "#lib/domain/actors.ts";

const links: { href: string; label: string; role: Role }[] = [
  { href: "/admin", label: "Incidents", role: "viewer" },
  { href: "/admin/maintenance", label: "Maintenance", role: "viewer" },
  { href: "/admin/components", label: "Components", role: "viewer" },
  { href: "/admin/templates", label: "Templates", role: "viewer" },
  { href: "/admin/metrics", label: "Metrics", role: "viewer" },
  { href: "/admin/subscribers", label: "Subscribers", role: "viewer" },
  { href: "/admin/channels", label: "Channels", role: "viewer" },
  { href: "/admin/reports", label: "Reports", role: "viewer" },
  { href: "/admin/reliability", label: "Reliability", role: "viewer" },
  { href: "/admin/outbox", label: "Outbox", role: "viewer" },
  { href: "/admin/audit", label: "Audit log", role: "viewer" },
  { href: "/admin/embed", label: "Embed", role: "viewer" },
  { href: "/admin/settings", label: "Settings", role: "owner" },
  { href: "/admin/users", label: "Users", role: "owner" },
  { href: "/admin/api-keys", label: "API keys", role: "owner" },
  { href: "/admin/import", label: "Import", role: "owner" },
];

const rank: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };

/* The admin area's header: where to go, who is signed in, and the way out. */
export function AdminNav(props: {
  email: string;
  role: Role;
  signOut: () => Promise<void>;
  signOutEverywhere: () => Promise<void>;
}) {
  return (
    <header className="border-b border-gray-300 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2">
        <a href="/admin" className="font-semibold">
          Candor admin
        </a>
        <nav aria-label="Admin">
          <ul className="flex flex-wrap gap-3 text-sm">
            {links
              .filter((l) => rank[props.role] >= rank[l.role])
              .map((l) => (
                <li key={l.href}>
                  <a href={l.href} className="text-blue-800 underline-offset-2 hover:underline">
                    {l.label}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-2 text-sm">
          <span>
            {props.email} · {props.role}
          </span>
          <form action={props.signOut}>
            <button type="submit" className="rounded border border-gray-400 px-2 py-0.5">
              Sign out
            </button>
          </form>
          <form action={props.signOutEverywhere}>
            <button type="submit" className="rounded border border-gray-400 px-2 py-0.5">
              Sign out everywhere
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
