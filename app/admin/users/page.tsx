import { ActionForm } from "#components/admin/action-form.tsx";
import { AdminSection } from "#components/admin/admin-section.tsx";
import { AdminTable } from "#components/admin/admin-table.tsx";
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
      <AdminTable
        rows={users}
        rowKey={(u) => u.id}
        rowClassName={() => "align-top"}
        empty="No users."
        columns={[
          {
            header: "User",
            cell: (u) => (
              <>
                {u.name} <div className="text-xs text-gray-700">{u.email}{u.email === actor.name ? " (you)" : ""}</div>
              </>
            ),
          },
          { header: "Since", cell: (u) => formatDateTime(u.createdAt, page.time_zone) },
          {
            header: "Role",
            cell: (u) => (
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
            ),
          },
          {
            header: "Access",
            cell: (u) => (
              <>
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
              </>
            ),
          },
        ]}
      />
      <AdminSection id="invite-heading" title="Invite someone" boxed>
        <ActionForm
          action={inviteAction}
          submitLabel="Create invite link"
          fields={[
            { name: "email", label: "Email", type: "email" },
            { name: "role", label: "Role", type: "select", options: ROLE_OPTIONS, defaultValue: "editor" },
            { name: "hours", label: "Valid for (hours)", type: "number", defaultValue: "72" },
          ]}
        />
      </AdminSection>
      <AdminSection id="open-invites" title="Open invites">
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
      </AdminSection>
    </div>
  );
}
