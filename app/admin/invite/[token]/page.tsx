import { connection } from "next/server";
import { ActionForm } from "#components/admin/action-form.tsx";
import { inviteForLink } from "#lib/domain/admin-users.ts";
import { MIN_PASSWORD_LENGTH } from "#lib/auth/sessions.ts";
import { acceptInviteAction } from "./actions.ts";

export const metadata = { title: "Accept invite", robots: { index: false } };

/* Public by design: the token in the URL is the credential; it works once and expires. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  const invite = await inviteForLink(token);
  if (!invite) {
    return (
      <div className="mx-auto mt-16 max-w-md rounded border border-gray-300 bg-white p-6">
        <h1 className="mb-2 text-xl font-semibold">This invite cannot be used</h1>
        <p>It has expired, was revoked or was already used. Ask an owner for a new one.</p>
      </div>
    );
  }
  return (
    <div className="mx-auto mt-16 max-w-md rounded border border-gray-300 bg-white p-6">
      <h1 className="mb-2 text-xl font-semibold">Join as {invite.role}</h1>
      <p className="mb-4 text-sm">
        Choose a password for <strong>{invite.email}</strong>, then sign in.
      </p>
      <ActionForm
        action={acceptInviteAction}
        submitLabel="Create account"
        fields={[
          { name: "token", label: "Invite", type: "hidden", defaultValue: token },
          { name: "name", label: "Your name", autoComplete: "name" },
          { name: "password", label: `Password (at least ${MIN_PASSWORD_LENGTH} characters)`, type: "password", autoComplete: "new-password" },
        ]}
      />
    </div>
  );
}
