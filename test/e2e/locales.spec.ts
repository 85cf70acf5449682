import { DEMO_INCIDENT, demoIncidentHref, expectNoSeriousViolations } from "../support/public-pages.ts";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { LOCALES, textDirection, type Locale } from "#lib/core/locales.ts";
import { MESSAGES } from "#lib/core/messages.ts";

/*
 * Every locale's public pages in real Chromium, with JavaScript and without:
 * the status page, the demo's incident and the history render in the
 * reader's language and direction, pass axe, and do not scroll sideways on a
 * 320 px phone; Arabic reads right to left, its uptime bar too; the
 * language switcher works without JavaScript and is remembered.
 */
const prefix = (locale: Locale) => (locale === "en" ? "" : `/${locale}`);



async function pagesOf(browser: Browser, javaScript: boolean, width?: number) {
  const context = await browser.newContext({ javaScriptEnabled: javaScript, ...(width ? { viewport: { width, height: 800 } } : {}) });
  return { page: await context.newPage(), close: () => context.close() };
}

for (const locale of LOCALES) {
  test(`${locale}: the status page, an incident and the history, with and without JavaScript, axe clean, no sideways scroll at 320 px`, async ({ browser, page }) => {
    const incident = await demoIncidentHref(page);
    const paths = [prefix(locale) || "/", `${prefix(locale)}${incident}`, `${prefix(locale)}/history`];
    const operational = MESSAGES[locale].common.componentStatus.operational;
    for (const javaScript of [true, false]) {
      const { page: reader, close } = await pagesOf(browser, javaScript);
      try {
        for (const path of paths) {
          const response = await reader.goto(path);
          expect(response?.status(), path).toBe(200);
          await expect(reader.locator("html")).toHaveAttribute("lang", locale);
          await expect(reader.locator("html")).toHaveAttribute("dir", textDirection(locale));
          if (path === paths[0]) await expect(reader.locator("main")).toContainText(operational);
          if (path === paths[1]) await expect(reader.locator("main")).toContainText(DEMO_INCIDENT);
          if (javaScript) await expectNoSeriousViolations(reader);
        }
      } finally {
        await close();
      }
    }
    const { page: phone, close } = await pagesOf(browser, true, 320);
    try {
      for (const path of paths) {
        await phone.goto(path);
        const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${path} at 320 px`).toBeLessThanOrEqual(0);
      }
    } finally {
      await close();
    }
  });
}

test("Arabic reads right to left: the uptime bar's oldest day is at the right", async ({ page }) => {
  await page.goto("/ar");
  const bar = page.locator("ol.uptime-bar").first();
  const days = bar.locator("li");
  const oldest = await days.first().boundingBox();
  const today = await days.last().boundingBox();
  expect(oldest && today && oldest.x > today.x).toBe(true);
});

test.describe("the language switcher without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("opens the same page in the chosen language and remembers it", async ({ page }) => {
    await page.goto("/history");
    await page.locator(".locale-switcher summary").click();
    await page.locator(".locale-switcher").getByRole("link", { name: "Deutsch" }).click();
    await expect(page).toHaveURL(/\/de\/history$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await page.goto("/");
    await expect(page).toHaveURL(/\/de$/);
    // Back to English: the unprefixed pages again, and they stay English.
    await page.locator(".locale-switcher summary").click();
    await page.locator(".locale-switcher").getByRole("link", { name: "English" }).click();
    await expect(page).toHaveURL(/\/$/);
    await page.goto("/uptime");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  });
});
