/*
 * The Content-Security-Policy lets the pages work: in Chromium with
 * JavaScript on, the status page, an incident page, sign-in and the admin
 * pages (one with a prerendered shell) load and hydrate with no policy
 * violation, and signing in still works. Violations are caught both as the
 * browser's console errors and as `securitypolicyviolation` events.
 */
import { expect, test, type Page } from "@playwright/test";
import { DEMO_OWNER } from "../../scripts/demo-owner.ts";

function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on("pageerror", (error) => violations.push(`page error: ${error.message}`));
  return violations;
}

async function recordedViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations ?? []);
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = list;
    document.addEventListener("securitypolicyviolation", (e) => list.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});

test("the status page and an incident page run under the public policy", async ({ page }) => {
  const violations = watchViolations(page);
  const response = await page.goto("/");
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await expect(page.locator("h1, h2").first()).toBeVisible();
  // Hydrated: Next's router is up (its scripts ran).
  await page.waitForFunction(() => "__next_f" in window && document.readyState === "complete");
  expect(await recordedViolations(page)).toEqual([]);
  const incident = page.locator('a[href^="/incidents/"]').first();
  await incident.click();
  await expect(page).toHaveURL(/\/incidents\/[a-z0-9]{12}$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await recordedViolations(page)).toEqual([]);
  expect(violations).toEqual([]);
});

test("sign-in and the admin pages run under the nonce policy, and signing in works", async ({ page }) => {
  const violations = watchViolations(page);
  const response = await page.goto("/admin/sign-in");
  expect(response?.headers()["content-security-policy"]).toMatch(/'nonce-[^']+' 'strict-dynamic'/);
  await page.waitForFunction(() => document.readyState === "complete");
  expect(await recordedViolations(page)).toEqual([]);
  await page.getByLabel("Email").fill(DEMO_OWNER.email);
  await page.getByLabel("Password").fill(DEMO_OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Incidents", level: 1 })).toBeVisible();
  expect(await recordedViolations(page)).toEqual([]);
  // An incident's admin page has a prerendered shell: its scripts must carry the nonce too.
  await page.locator('a[href^="/admin/incidents/"]:not([href$="/new"])').first().click();
  await expect(page).toHaveURL(/\/admin\/incidents\/[a-z0-9]{12}/);
  await page.reload();
  await page.waitForFunction(() => document.readyState === "complete");
  expect(await recordedViolations(page)).toEqual([]);
  expect(violations).toEqual([]);
});
