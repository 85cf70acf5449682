import { receiveResendWebhook } from "#lib/delivery/resend-webhook.ts";

/* Resend delivery events (bounces, complaints), signature verified in lib. */
export async function POST(request: Request) {
  const { status, message } = await receiveResendWebhook(await request.text(), request.headers);
  return Response.json({ message }, { status, headers: { "cache-control": "no-store" } });
}
