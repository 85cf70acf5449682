import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_OWNER } from "../../scripts/demo-owner.ts";

/*
 * Milestones, targets and the reliability report in the admin area: declare
 * with detection and acknowledgement times, see the targets live, correct a
 * milestone (a refusal names its field), change a target, read the report.
 */
test.use({ timezoneId: "Etc/UTC" });

async function signIn(page: Page) {
  await page.goto("/admin");
  await page.getByLabel("Email").fill(DEMO_OWNER.email);
  await page.getByLabel("Password").fill(DEMO_OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Incidents", level: 1 })).toBeVisible();
}

/** A datetime-local value `minutes` before now, in UTC (the browser's zone here). */
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().slice(0, 16);

test("declare with detection and acknowledgement, see the targets, correct a milestone", async ({ page }) => {
  await signIn(page);
  const title = `Login failures ${Date.now()}`;
  await page.getByRole("link", { name: "Declare incident" }).click();
  await page.getByRole("group", { name: "Affected components" }).getByRole("checkbox").first().check();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Severity").selectOption("SEV-1");
  await page.getByLabel("What is happening (description)").fill("failed logins");
  await page.getByText("Detected or acknowledged before declaring?").click();
  await page.getByLabel(/^Detected/).fill(minutesAgo(20));
  await page.getByLabel(/^Acknowledged/).fill(minutesAgo(16));
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByRole("button", { name: "Publish incident" }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();

  const targets = page.getByRole("region", { name: "Milestones and targets" });
  const row = (name: string) => targets.getByRole("table", { name: "Targets" }).getByRole("row", { name: new RegExp(`^${name}`) });
  // Acknowledged 4 minutes after detection (SEV-1: 5), first public update after about 20 (SEV-1: 30).
  await expect(row("First response")).toContainText("met");
  await expect(row("First response")).toContainText("took 4 min of 5 min");
  await expect(row("First public update")).toContainText("met");
  await expect(row("Resolution")).toContainText("pending");

  // A detection after the acknowledgement is refused with the field named; the times typed stay.
  await targets.getByText("Correct when it started, was detected or acknowledged (audited)").click();
  await targets.getByLabel(/^Detected/).fill(minutesAgo(10));
  await targets.getByRole("button", { name: "Save milestones" }).click();
  await expect(targets.getByText("must not be before detection")).toBeVisible();
  // Earlier than the start is refused too, until the start moves with it.
  await targets.getByLabel(/^Detected/).fill(minutesAgo(30));
  await targets.getByRole("button", { name: "Save milestones" }).click();
  await expect(targets.getByText("must not be before the incident started")).toBeVisible();
  await targets.getByLabel(/^Impact began/).fill(minutesAgo(30));
  await targets.getByRole("button", { name: "Save milestones" }).click();
  await expect(targets.getByText("Milestones saved.")).toBeVisible();
  await expect(row("First response")).toContainText("missed");

  await page.goto("/admin");
  const listed = page.getByRole("row").filter({ hasText: title });
  await expect(listed).toContainText("First response: missed");
  await expect(listed).toContainText("Resolution: pending");
});

test("change a target in settings", async ({ page }) => {
  await signIn(page);
  await page.goto("/admin/settings");
  const field = page.getByLabel("SEV-1: resolution within (hours)");
  await expect(field).toHaveValue("1");
  await field.fill("2");
  await page.getByRole("button", { name: "Save targets" }).click();
  await expect(page.getByText("Targets saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("SEV-1: resolution within (hours)")).toHaveValue("2");
  await page.getByLabel("SEV-2: first response within (minutes)").fill("0");
  await page.getByRole("button", { name: "Save targets" }).click();
  await expect(page.getByText("is at least 1")).toBeVisible();

  // The owner's own monthly digest.
  await page.getByLabel(/Email me last month's reliability figures/).check();
  await page.getByRole("button", { name: "Save digest choice" }).click();
  await expect(page.getByText("You will get the digest on the 1st of each month.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(/Email me last month's reliability figures/)).toBeChecked();
});

test("the reliability report reads without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page);
  await page.goto("/admin/reliability");
  await expect(page.getByRole("heading", { name: "Reliability report", level: 1 })).toBeVisible();
  await expect(page.getByText("not as means")).toBeVisible();
  await expect(page.getByRole("img", { name: /Incidents by severity/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Incidents" }).getByRole("row", { name: /^Incidents/ }).first()).toContainText(/\d/);
  await page.getByRole("combobox", { name: "Component" }).selectOption({ index: 1 });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/component=[a-z0-9]{12}/);
  const csv = await page.request.get(await page.getByRole("link", { name: "CSV" }).getAttribute("href").then((h) => h!));
  expect(csv.headers()["content-type"]).toMatch(/text\/csv/);
  await context.close();
});

test("the reliability report passes axe", async ({ page }) => {
  await signIn(page);
  await page.goto("/admin/reliability");
  await expect(page.getByRole("heading", { name: "Reliability report", level: 1 })).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
});
