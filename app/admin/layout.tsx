import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AdminNav } from "#components/admin/admin-nav.tsx";
import { currentActor } from "#lib/auth/sessions.ts";
import "../globals.css";
import "./admin.css";
import { signOut, signOutEverywhere } from "./session-actions.ts";

export const metadata: Metadata = { title: { default: "Admin · Candor", template: "%s · Candor admin" }, robots: { index: false } };

/*
 * Admin pages read the session and their own writes: they block on the
 * request (no static shell), so a missing session is a real redirect.
 * Each page checks its own role; this layout only draws the header. A root
 * layout of its own: the admin area stays English (the public pages' root
 * layout is app/[locale]/layout.tsx).
 */
export const instant = false;

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  return (
    <html lang="en">
      <body>
    <div className="min-h-screen bg-gray-50 text-gray-900">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
        Skip to content
      </a>
      {actor ? <AdminNav email={actor.name} role={actor.role} signOut={signOut} signOutEverywhere={signOutEverywhere} /> : null}
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </div>
      </body>
    </html>
  );
}
