import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Status", template: "%s" },
  description: "Current status, incidents and scheduled maintenance.",
  // Absolute URLs for canonical links and social cards come from the configured public URL.
  metadataBase: new URL(process.env.PUBLIC_URL ?? "http://localhost:3000"),
  alternates: {
    canonical: "./",
    types: {
      "application/rss+xml": [{ url: "/history.rss", title: "Incident history (RSS)" }],
      "application/atom+xml": [{ url: "/history.atom", title: "Incident history (Atom)" }],
      "application/feed+json": [{ url: "/feed.json", title: "Incident history (JSON Feed)" }],
      "text/calendar": [{ url: "/maintenance.ics", title: "Scheduled maintenance (iCal)" }],
    },
  },
  openGraph: { type: "website" },
  twitter: { card: "summary_large_image" },
};

export const viewport: Viewport = {
  colorScheme: "light dark",
  width: "device-width",
  initialScale: 1,
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
