import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

/*
 * /uptime against the demo data: twelve monthly calendars of one component,
 * another picked without JavaScript, a bad day leading to its incident,
 * readable on a 320 px phone and clean by axe-core in both colour schemes.
 */
test.describe("the uptime page without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("shows twelve months per component and links a bad day to its incident", async ({ page }) => {
    const response = await page.goto("/uptime");
    expect(response?.status()).toBe(200);
    expect(response?.headers()["cache-control"]).toMatch(/s-maxage/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Uptime, last 12 months: /);
    const first = page.locator("main section").first();
    await expect(first.locator("table.uptime-calendar")).toHaveCount(12);
    await expect(first.locator("table.uptime-calendar caption").first()).toHaveText(/\w+ \d{4} (\d+\.\d{2}%|No data)/);
    const link = page.locator("table.uptime-calendar td a").first();
    const label = await link.getAttribute("aria-label");
    expect(label).toMatch(/\w{3} \d{1,2}, \d{4}, /);
    await link.click();
    await expect(page).toHaveURL(/\/incidents\/[a-z0-9]{12}$/);

    // One component at a time: the picker shows another without JavaScript.
    await page.goto("/uptime");
    const picker = page.getByRole("combobox", { name: "Component" });
    const second = await picker.locator("option").nth(1).textContent();
    await picker.selectOption({ index: 1 });
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/\/uptime\?component=[a-z0-9]{12}$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Uptime, last 12 months: ${second}`);
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Status page" }).getByRole("link", { name: "Uptime" })).toHaveAttribute("href", "/uptime");
  });
});

test.describe("the uptime page on a 320 px phone", () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test("does not scroll horizontally", async ({ page }) => {
    await page.goto("/uptime");
    await expect(page.locator("table.uptime-calendar")).toHaveCount(12);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

for (const scheme of ["light", "dark"] as const) {
  test(`the uptime page has no serious or critical axe violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/uptime");
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
  });
}
