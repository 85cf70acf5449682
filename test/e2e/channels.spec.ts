/*
 * An editor adds a webhook subscriber in the admin area: the signing secret
 * is shown once, "Send test" shows the receiver's answer, the URL never
 * appears again, and the subscriber is removed.
 */
import { createHmac } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { DEMO_OWNER } from "../../scripts/demo-owner.ts";
import { Receiver } from "../support/receiver.ts";

test("an owner adds a webhook, tests it and removes it", async ({ page }) => {
  const receiver = new Receiver();
  await receiver.start();
  receiver.on("/e2e-hook-credential", (_r, res) => void res.writeHead(200, { "content-type": "text/plain" }).end("thanks from the receiver"));
  try {
    await page.goto("/admin/channels");
    await page.getByLabel("Email").fill(DEMO_OWNER.email);
    await page.getByLabel("Password").fill(DEMO_OWNER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/admin/sign-in"));
    await page.goto("/admin/channels");
    await expect(page.getByRole("heading", { name: "Channels", level: 1 })).toBeVisible();

    // A bad URL is refused beside its field.
    await page.getByLabel(/Webhook URL/).fill("not a url");
    await page.getByRole("button", { name: "Add channel subscriber" }).click();
    await expect(page.getByText(/URL must be an http\(s\) URL/)).toBeVisible();

    const url = `${receiver.url}/e2e-hook-credential`;
    await page.getByLabel(/Webhook URL/).fill(url);
    await page.getByLabel("Webhook format").selectOption("statuspage");
    await page.getByRole("button", { name: "Add channel subscriber" }).click();
    const secretField = page.getByLabel(/Signing secret/);
    await expect(secretField).toHaveValue(/^whsec_/);
    const secret = await secretField.inputValue();
    const host = new URL(receiver.url).host;
    const row = page.getByRole("row", { name: new RegExp(`Webhook on ${host.replace(/\./g, "\\.")}`) });
    await expect(row).toContainText("statuspage");

    await expect(page).toHaveTitle(/Channels/);
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);

    await row.getByRole("button", { name: /Send a test/ }).click();
    await expect(row.getByRole("status")).toHaveText("Answered 200: thanks from the receiver");
    const [sent] = receiver.at("/e2e-hook-credential");
    const { t, v1 } = Object.fromEntries(String(sent.headers["candor-signature"]).split(",").map((p) => p.split("=")));
    expect(createHmac("sha256", secret).update(`${t}.${sent.raw}`).digest("hex")).toBe(v1);

    // Shown once: a fresh page has neither the secret nor the URL's path.
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    expect(await page.content()).not.toContain("e2e-hook-credential");

    await row.getByRole("button", { name: /^Remove/ }).click();
    await expect(row).toHaveCount(0);
  } finally {
    await receiver.stop();
  }
});

test("a visitor subscribes a webhook on the public page and confirms it through the link it receives", async ({ page }) => {
  const receiver = new Receiver();
  await receiver.start();
  try {
    await page.goto("/subscribe");
    await page.getByLabel("Incoming webhook URL").fill(`${receiver.url}/public-e2e`);
    await page.getByRole("button", { name: "Send a confirmation there" }).click();
    await expect(page.getByRole("heading", { name: "Check the channel" })).toBeVisible();
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);

    await expect.poll(() => receiver.at("/public-e2e").length, { timeout: 20_000 }).toBe(1);
    const verification = receiver.at("/public-e2e")[0].json as { type: string; data: { verify_url: string } };
    expect(verification.type).toBe("verification");
    // The demo page's URL names another host: follow the link's path on this server.
    await page.goto(new URL(verification.data.verify_url).pathname);
    await expect(page.getByText(new RegExp(`Webhook on ${new URL(receiver.url).host.replace(/\./g, "\\.")}`))).toBeVisible();
    await page.getByRole("button", { name: "Confirm subscription" }).click();
    await expect(page.getByRole("heading", { name: "Confirmed" })).toBeVisible();
  } finally {
    await receiver.stop();
  }
});
