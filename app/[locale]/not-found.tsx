import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" className="wrap stack-lg not-found">
      <h1>Page not found</h1>
      <p>There is nothing at this address. The incident may have been removed, or the link mistyped.</p>
      <p>
        <Link href="/">Current status</Link> · <Link href="/history">Incident history</Link>
      </p>
    </main>
  );
}
