import { DEMO_INCIDENT, demoIncidentHref, expectNoSeriousViolations } from "../support/public-pages.ts";
import { expect, test, type Page } from "@playwright/test";

/*
 * The public pages against the demo data (scripts/e2e-server.ts seeds it):
 * what a customer sees with and without JavaScript, on a phone, by keyboard,
 * and what axe-core finds.
 */




test.describe("status page", () => {
  test("shows the overall banner, the active incident and the components", async ({ page }) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    const banner = page.getByRole("status");
    await expect(banner).toContainText(/all systems operational|degraded|outage|maintenance/i);

    const active = page.locator("section[aria-labelledby=active-incidents]");
    await expect(active.getByRole("heading", { name: "Active incidents" })).toBeVisible();
    expect(await active.locator("article").count()).toBeGreaterThanOrEqual(1);
    await expect(active).toContainText(/Next update by/);
    await expect(active).toContainText(/Affects:/);

    const components = page.locator("section[aria-labelledby=components-heading]");
    await expect(components.locator("details")).toHaveCount(3);
    await expect(components.locator("ol.uptime-bar").first().locator("li")).toHaveCount(90);
    await expect(components).toContainText(/\d+\.\d{2}% uptime/);

    const past = page.locator("section[aria-labelledby=past-incidents]");
    await expect(past.locator(".past-day")).toHaveCount(14);
    await expect(past.getByRole("link", { name: /Incident history/ })).toHaveAttribute("href", "/history");
  });

  test("collapses a group and shows its worst child status", async ({ page }) => {
    await page.goto("/");
    const group = page.locator("section[aria-labelledby=components-heading] details").first();
    await expect(group).toHaveAttribute("open", "");
    const summaryStatus = await group.locator("summary .component-status").innerText();
    await group.locator("summary").click();
    await expect(group).not.toHaveAttribute("open", "");
    expect(summaryStatus.trim().length).toBeGreaterThan(0);
  });

  test("shows uptime details for a segment reached by keyboard", async ({ page }) => {
    await page.goto("/");
    // Once hydrated, each bar is a single tab stop.
    await expect(page.locator("ol.uptime-bar").first().locator('li[tabindex="0"]')).toHaveCount(1);
    let found = false;
    for (let i = 0; i < 80 && !found; i++) {
      await page.keyboard.press("Tab");
      found = await page.evaluate(() => document.activeElement?.parentElement?.classList.contains("uptime-bar") ?? false);
    }
    expect(found).toBe(true);
    const tip = page.locator(".uptime-bar > li:focus > span");
    await expect(tip).toBeVisible();
    const box = await tip.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    await expect(tip).toContainText(/\w{3} \d{1,2}, \d{4}/);
    await expect(tip).toContainText(/No downtime|outage|Degraded|maintenance|No data/i);

    // One tab stop per bar: the arrow keys move between its days.
    const today = await page.evaluate(() => document.activeElement!.querySelector("b")!.textContent);
    await page.keyboard.press("ArrowLeft");
    const yesterday = page.locator(".uptime-bar > li:focus > span");
    await expect(yesterday).toBeVisible();
    await expect(yesterday.locator("b")).not.toHaveText(today!);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.closest("ol")?.getAttribute("aria-label"))).not.toBe(
      await page.locator("ol.uptime-bar").first().getAttribute("aria-label"),
    );
  });

  test("re-renders times in the viewer's zone when JavaScript runs", async ({ browser }) => {
    const context = await browser.newContext({ timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    await page.goto("/");
    const time = page.getByRole("status").locator("xpath=..").locator("time").first();
    await expect(time).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
    await expect(time).toContainText(/GMT\+9|JST/);
    await context.close();
  });
});

test.describe("incident page", () => {
  test("shows the whole timeline newest first with impact and reference", async ({ page }) => {
    const href = await demoIncidentHref(page);
    const response = await page.goto(href);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.locator("main")).toContainText(/INC-\d{4}-\d{4}/);
    await expect(page.locator("main")).toContainText(/impact/);
    const entries = page.locator("ol.timeline > li");
    expect(await entries.count()).toBeGreaterThanOrEqual(3);
    await expect(entries.last().locator("h3")).toHaveText("Investigating");
    await expect(page.locator("ol.timeline")).toContainText("→");
  });

  test("shows a published postmortem", async ({ page }) => {
    await page.goto("/history");
    const links = await page.locator("main article h3 a").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    let shown = false;
    for (const href of links) {
      await page.goto(href);
      if (await page.locator("#postmortem").count()) {
        shown = true;
        break;
      }
    }
    expect(shown).toBe(true);
    await expect(page.locator("section[aria-labelledby=postmortem] .prose")).not.toBeEmpty();
  });

  test("answers 404 for unknown and malformed ids", async ({ page }) => {
    expect((await page.goto("/incidents/zzzzzzzzzzzz"))?.status()).toBe(404);
    expect((await page.goto("/incidents/not-an-id"))?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});

test.describe("history", () => {
  test("paginates", async ({ page }) => {
    const names = () => page.locator("main article h3 a").allTextContents();
    await page.goto("/history");
    const first = await names();
    expect(first.length).toBeGreaterThan(10);
    expect(first.length).toBeLessThanOrEqual(20);
    const hasOlder = (await page.getByRole("link", { name: /Older/ }).count()) > 0;

    await page.goto("/history?page=2");
    const second = await names();
    if (hasOlder) expect(second.length).toBeGreaterThan(0);
    else await expect(page.locator("main")).toContainText("No incidents reported.");
    expect(second).not.toEqual(first);
    await expect(page.getByRole("link", { name: /Newer/ })).toHaveAttribute("href", "/history");
    await page.getByRole("link", { name: /Newer/ }).click();
    await expect(page.locator(".pagination")).toContainText("Page 1");
    expect(await names()).toEqual(first);
  });

  test("filters by component", async ({ page }) => {
    await page.goto("/history");
    const option = page.locator("select#component option").nth(1);
    const name = (await option.innerText()).split("›").pop()!.trim();
    await page.selectOption("select#component", { index: 1 });
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/component=[a-z0-9]{12}/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
  });

  test("ignores bad query values instead of failing", async ({ page }) => {
    for (const query of ["?page=-5", "?page=abc", "?component=%3Cscript%3E", "?page=999999999"]) {
      const response = await page.goto(`/history${query}`);
      expect(response?.status(), query).toBe(200);
    }
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("every public page still shows everything", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("status")).toContainText(/operational|outage|degraded|maintenance/i);
    expect(await page.locator("section[aria-labelledby=active-incidents] article").count()).toBeGreaterThanOrEqual(1);
    await expect(page.locator("ol.uptime-bar").first().locator('li[tabindex="0"]')).toHaveCount(90);
    // The per-day details are in the document as text.
    await expect(page.locator(".uptime-bar > li > span").first()).toHaveText(/\w{3} \d{1,2}, \d{4}/);

    const href = await page.getByRole("link", { name: DEMO_INCIDENT }).first().getAttribute("href");
    await page.goto(href!);
    expect(await page.locator("ol.timeline > li").count()).toBeGreaterThanOrEqual(3);

    await page.goto("/history");
    await page.selectOption("select#component", { index: 1 });
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/component=/);
  });

  test("a system metric's chart reads in words, and its period switches without JavaScript", async ({ page }) => {
    await page.goto("/");
    const metric = page.getByRole("article", { name: "API response time" });
    await expect(metric.getByRole("img", { name: /API response time, Last 24 hours: average \d+ ms/ })).toBeVisible();
    await expect(metric.getByRole("img", { name: /Last 7 days/ })).toBeHidden();
    await metric.getByRole("radio", { name: "Week" }).check();
    await expect(metric.getByRole("img", { name: /Last 7 days: average \d+ ms, lowest \d+ ms, highest \d+ ms/ })).toBeVisible();
    await expect(metric.getByRole("img", { name: /Last 24 hours/ })).toBeHidden();
    await expect(metric.getByText(/^Last 7 days: average/)).toBeVisible();
  });

  test("times are server-rendered with a machine-readable datetime", async ({ page }) => {
    await page.goto("/");
    const times = page.locator("main time[datetime]");
    expect(await times.count()).toBeGreaterThan(3);
    await expect(times.first()).toHaveText(/\d{2}:\d{2}/);
  });
});

test.describe("on a 320 px phone", () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test("no page scrolls horizontally", async ({ page }) => {
    const href = await demoIncidentHref(page);
    for (const path of ["/", href, "/history", "/no-such-page"]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});

test.describe("accessibility", () => {
  for (const scheme of ["light", "dark"] as const) {
    test(`no serious or critical axe violations (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const href = await demoIncidentHref(page);
      for (const path of ["/", href, "/history", "/no-such-page"]) {
        await page.goto(path);
        await expectNoSeriousViolations(page);
      }
    });
  }
});

test("unknown paths answer 404 with the not-found page", async ({ page }) => {
  for (const path of ["/no-such-page", "/a/b/c", "/placeholder"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
  }
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
