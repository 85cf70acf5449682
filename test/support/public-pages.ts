import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The demo's active incident (scripts/demo-data.ts: three updates). Other specs may declare more incidents on the same server. */
export const DEMO_INCIDENT = "Increased API latency in EU region";

/** The demo incident's page, as the status page links it. */
export async function demoIncidentHref(page: Page): Promise<string> {
  await page.goto("/");
  const href = await page.getByRole("link", { name: DEMO_INCIDENT }).first().getAttribute("href");
  expect(href).toMatch(/^\/incidents\/[a-z0-9]{12}$/);
  return href!;
}

/** axe-core finds nothing serious or critical on the page as it is now. */
export async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
}
