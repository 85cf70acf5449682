import { ActionForm } from "#components/admin/action-form.tsx";
import { listOpenInvites, listUsers } from "#lib/domain/admin-users.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { formatDateTime } from "#lib/core/time.ts";
import { inviteAction, revokeInviteAction, setActiveAction, setRoleAction } from "./actions.ts";

export const metadata = { title: "Users" };

const ROLE_OPTIONS = [
  { value: "viewer", label: "Viewer — read-only admin" },
  { value: "editor", label: "Editor — incidents, components, maintenance, templates, subscribers" },
  { value: "owner", label: "Owner — also users, settings, API keys" },
];

export default async function UsersPage() {
  const { db, actor } = await requireSession("owner");
  const [users, invites, page] = await Promise.all([listUsers(db), listOpenInvites(db), getPage(db)]);
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Users</h1>
      <table className="w-full border-collapse bg-white text-left text-sm">
        <thead>
          <tr className="border-b border-gray-300">
            <th scope="col" className="p-2">User</th>
            <th scope="col" className="p-2">Since</th>
            <th scope="col" className="p-2">Role</th>
            <th scope="col" className="p-2">Access</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className="border-b border-gray-200 align-top">
              <td className="p-2">
                {u.name} <div className="text-xs text-gray-700">{u.email}{u.email === actor.name ? " (you)" : ""}</div>
              </td>
              <td className="p-2">{formatDateTime(u.createdAt, page.time_zone)}</td>
              <td className="p-2">
                <ActionForm
                  action={setRoleAction}
                  submitLabel={`Change role of ${u.email}`}
                  idPrefix={`role-${u.id}`}
                  inline
                  fields={[
                    { name: "userId", label: "User", type: "hidden", defaultValue: u.id },
                    { name: "role", label: "Role", type: "select", options: ROLE_OPTIONS, defaultValue: u.role },
                  ]}
                />
              </td>
              <td className="p-2">
                {u.banned ? <p className="text-sm text-red-800">Removed</p> : null}
                {u.id === actor.id ? null : (
                  <ActionForm
                    action={setActiveAction}
                    submitLabel={u.banned ? `Restore access for ${u.email}` : `Remove access for ${u.email}`}
                    idPrefix={`active-${u.id}`}
                    danger={!u.banned}
                    inline
                    fields={[
                      { name: "userId", label: "User", type: "hidden", defaultValue: u.id },
                      { name: "active", label: "Active", type: "hidden", defaultValue: u.banned ? "true" : "false" },
                    ]}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section aria-labelledby="invite-heading" className="rounded border border-gray-300 bg-white p-4">
        <h2 id="invite-heading" className="mb-2 text-lg font-semibold">
          Invite someone
        </h2>
        <ActionForm
          action={inviteAction}
          submitLabel="Create invite link"
          fields={[
            { name: "email", label: "Email", type: "email" },
            { name: "role", label: "Role", type: "select", options: ROLE_OPTIONS, defaultValue: "editor" },
            { name: "hours", label: "Valid for (hours)", type: "number", defaultValue: "72" },
          ]}
        />
      </section>
      <section aria-labelledby="open-invites">
        <h2 id="open-invites" className="mb-2 text-lg font-semibold">
          Open invites
        </h2>
        {invites.length === 0 ? <p className="text-sm text-gray-700">None.</p> : null}
        <ul className="space-y-2">
          {invites.map((i) => (
            <li key={i.id} className="flex flex-wrap items-center gap-3 text-sm">
              <span>
                {i.email} · {i.role} · by {i.created_by} · expires {formatDateTime(i.expires_at, page.time_zone)}
              </span>
              <ActionForm
                action={revokeInviteAction}
                submitLabel={`Revoke invite for ${i.email}`}
                idPrefix={`revoke-${i.id}`}
                danger
                inline
                fields={[{ name: "id", label: "Invite", type: "hidden", defaultValue: i.id }]}
              />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
