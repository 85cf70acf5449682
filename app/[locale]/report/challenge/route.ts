import { problemReports } from "#lib/domain/problem-reports.ts";
import { reportChallenges } from "#lib/domain/report-challenges.ts";

const headers = { "cache-control": "no-store", "content-type": "application/json" };

/* A fresh proof-of-work challenge for the report form's script; 404 unless the form is on and asks for one. */
export async function GET() {
  const { enabled, challenged } = await problemReports.settings();
  if (!enabled || !challenged) {
    return new Response(JSON.stringify({ error: "not_found" }), { status: 404, headers });
  }
  return new Response(JSON.stringify(await reportChallenges.create()), { status: 200, headers });
}
