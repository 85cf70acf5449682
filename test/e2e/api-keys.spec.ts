/*
 * An owner creates an API key in the admin area, a script uses it on
 * /api/v1, the owner revokes it and the script is locked out.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { DEMO_OWNER } from "../../scripts/demo-owner.ts";

test("an owner creates, uses and revokes an API key", async ({ page, request }) => {
  await page.goto("/admin/api-keys");
  await expect(page).toHaveURL(/\/admin\/sign-in/);
  await page.getByLabel("Email").fill(DEMO_OWNER.email);
  await page.getByLabel("Password").fill(DEMO_OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/admin/sign-in"));
  await page.goto("/admin/api-keys");
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();

  // A blank name is refused next to the field.
  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(page.getByText("Name is required")).toBeVisible();

  await page.getByLabel("Name").fill("e2e alerting");
  await page.getByLabel("Scope").selectOption("write");
  await page.getByRole("button", { name: "Create API key" }).click();
  const secret = page.getByLabel("New API key");
  await expect(secret).toHaveValue(/^candor_[A-Za-z0-9_-]{43}$/);
  const token = await secret.inputValue();
  const row = page.getByRole("row", { name: /e2e alerting/ });
  await expect(row).toContainText("write");
  await expect(row).toContainText("never");

  // Next streams a dynamic page's metadata after its body: check the page once its title is in.
  await expect(page).toHaveTitle(/API keys/);
  const shown = await new AxeBuilder({ page }).analyze();
  expect(shown.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);

  const auth = { Authorization: `Bearer ${token}` };
  const list = await request.get("/api/v1/components", { headers: auth });
  expect(list.status()).toBe(200);
  expect(list.headers()["cache-control"]).toBe("no-store");
  const created = await request.post("/api/v1/incidents", {
    headers: { ...auth, "Idempotency-Key": "e2e-1" },
    data: { name: "Created from a script", severity: "SEV-4", body: "Testing the management API.", notify: false },
  });
  expect(created.status()).toBe(201);

  // The secret is shown once: a fresh page lists the key by its prefix only.
  await page.reload();
  await expect(page.getByLabel("New API key")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  await expect(row).toContainText(token.slice(0, 13));
  await expect(row).not.toContainText("never");

  await row.getByText("Revoke…").click();
  await expect(page).toHaveTitle(/API keys/);
  const listed = await new AxeBuilder({ page }).analyze();
  expect(listed.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  await row.getByRole("button", { name: "Revoke e2e alerting now" }).click();
  await expect(row).toContainText("Revoked");
  const refused = await request.get("/api/v1/components", { headers: auth });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.message).toMatch(/revoked/);
});

test("the API keys page is for signed-in owners only", async ({ page }) => {
  await page.goto("/admin/api-keys");
  await expect(page).toHaveURL(/\/admin\/sign-in/);
});
