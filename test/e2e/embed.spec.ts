/*
 * The in-app widget and the Statuspage-compatible embed as a customer's
 * product uses them: host pages served from ANOTHER origin (a local server
 * on its own port, reached as `localhost`, so another site too), under a
 * strict Content-Security-Policy of their own, loading /embed.js or
 * /embed/script.js from the status page. Each mode, dismissal and its end
 * when the incident posts a newer update (through the widget's own poll, the
 * clock fast-forwarded), the poll paused while the tab is hidden, no
 * JavaScript errors, axe-core clean; the shim shows and hides its frame, in
 * the corner and colours the admin sets. Each speaks the snippet's
 * `data-locale`, else the reader's language: German, French, and Arabic
 * right to left.
 *
 * The widget's shadow root is closed; to let axe-core and locators into it,
 * most tests open it with an init script that runs before the widget
 * (OPEN_SHADOW). One test checks it is closed without that.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect as baseExpect, test, type Page, type Request } from "@playwright/test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_OWNER } from "../../scripts/demo-owner.ts";

// The machine is shared and often loaded: the server's first answers can be slow.
const expect = baseExpect.configure({ timeout: 15_000 });

const OPEN_SHADOW = () => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init: ShadowRootInit) {
    return attach.call(this, { ...init, mode: "open" });
  };
};

let host: Server;
let hostOrigin: string;
let app: string;
let token: string;
let components: { id: string; name: string }[];

/* A customer's page: the snippet, a font of its own, and a CSP that allows only the status page. */
function hostPage(body: string, inMain = ""): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Customer app</title>
<style>body{font-family:Georgia,serif;margin:0}main{padding:1rem}</style></head>
<body>${body}<main><h1>Customer app</h1><p>Work happens here.</p>${inMain}</main></body></html>`;
}

test.beforeAll(async ({ browser }, info) => {
  app = String(info.project.use.baseURL);
  host = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://host");
    const mode = url.searchParams.get("mode") ?? "banner";
    const attrs = [`mode="${mode}"`, url.searchParams.get("components") ? `components="${url.searchParams.get("components")}"` : ""].join(" ");
    const locale = url.searchParams.get("locale") ? ` data-locale="${url.searchParams.get("locale")}"` : "";
    const body =
      url.pathname === "/statuspage"
        ? `<script src="${app}/embed/script.js"${locale}></script>`
        : `<script src="${app}/embed.js"${locale} async></script><candor-status ${attrs}></candor-status>`;
    // A badge sits in the host's own content (a footer, a menu); a banner or toast is a live region of its own.
    const page = mode === "badge" ? hostPage("", `<p>Status: ${body}</p>`) : hostPage(body);
    if (url.pathname !== "/" && url.pathname !== "/statuspage") {
      response.writeHead(204).end();
      return;
    }
    response.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": `default-src 'self'; script-src ${app}; connect-src ${app}; frame-src ${app}; style-src 'self' 'unsafe-inline'`,
    });
    response.end(page);
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  hostOrigin = `http://localhost:${(host.address() as AddressInfo).port}`;

  const page = await browser.newPage({ baseURL: app });
  await signIn(page);
  await page.goto("/admin/api-keys");
  await page.getByLabel("Name").fill(`embed ${Date.now()}`);
  await page.getByLabel("Scope").selectOption("write");
  await page.getByRole("button", { name: "Create API key" }).click();
  token = await page.getByLabel("New API key").inputValue();
  components = (await (await page.request.get("/api/v2/components.json")).json()).components;
  await page.close();
});

test.afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())));

async function signIn(page: Page) {
  await page.goto("/admin/sign-in");
  await page.getByLabel("Email").fill(DEMO_OWNER.email);
  await page.getByLabel("Password").fill(DEMO_OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/admin/sign-in"));
}

async function api(page: Page, path: string, body: object) {
  const response = await page.request.post(`${app}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` }, data: body });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

async function declare(page: Page, name: string, severity = "SEV-3", componentId?: string): Promise<string> {
  const created = await api(page, "/incidents", {
    name,
    severity,
    status: "investigating",
    body: `${name}: investigating.`,
    components: componentId ? [{ id: componentId, status: "partial_outage" }] : [],
    notify: false,
  });
  return created.id;
}

/* What the widget's JSON says now, once it shows `name` (the caches settle within a second or two). */
async function widgetData(page: Page, name?: string) {
  for (let i = 0; ; i++) {
    const body = await (await page.request.get(`${app}/embed/status.json`)).json();
    const all = [...body.incidents, ...body.maintenances];
    if (!name || all.some((item: { name: string }) => item.name === name) || i > 40) return body;
    await page.waitForTimeout(250);
  }
}

/* The widget's own fetches (Chromium also reports its revalidation of a cached answer, as type "other"). */
function isPoll(request: Request): boolean {
  return request.url().endsWith("/embed/status.json") && request.resourceType() === "fetch";
}

/* Records uncaught errors and console errors of a page. */
function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  return errors;
}

async function axeClean(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${label} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

test("banner: the open incidents from another origin, a live region, dismissed until the next update", async ({ page }) => {
  await page.addInitScript(OPEN_SHADOW);
  const errors = errorsOf(page);
  const name = `Embed banner ${Date.now()}`;
  const id = await declare(page, name, "SEV-2");
  const data = await widgetData(page, name);
  await page.clock.install();
  const polls: string[] = [];
  page.on("request", (r) => isPoll(r) && polls.push(r.url()));
  await page.goto(`${hostOrigin}/?mode=banner`);
  const widget = page.locator("candor-status");
  const item = widget.locator(".item").filter({ hasText: name });
  await expect(item.getByRole("link", { name })).toHaveAttribute("href", new RegExp(`/incidents/${id}$`));
  await expect(item).toContainText("Investigating · updated");
  // Every open incident and maintenance in progress, worst first.
  const names = [...data.incidents, ...data.maintenances].map((i: { name: string }) => i.name);
  await expect(widget.locator(".item a")).toHaveText(names);
  const critical = data.incidents.some((i: { impact: string }) => i.impact === "critical");
  await expect(widget.locator(".list")).toHaveAttribute("aria-live", critical ? "assertive" : "polite");
  // The host's font, inherited through the shadow root.
  expect(await item.evaluate((el) => getComputedStyle(el).fontFamily)).toBe("Georgia, serif");
  await axeClean(page, "banner");

  // Keyboard: focus the dismiss button and press Enter; the next item's button takes focus.
  await item.getByRole("button", { name: `Dismiss: ${name}` }).focus();
  await page.keyboard.press("Enter");
  await expect(item).toHaveCount(0);
  await page.reload();
  await expect(widget.locator(".item").first()).toBeVisible();
  await expect(widget.locator(".item").filter({ hasText: name })).toHaveCount(0);

  // A newer update brings it back, through the next poll (a minute later, not before).
  await api(page, `/incidents/${id}/updates`, { status: "identified", body: "Found it.", notify: false });
  await widgetData(page);
  const before = polls.length;
  await page.clock.runFor(30_000);
  expect(polls.length).toBe(before);
  for (let i = 0; i < 10 && (await widget.locator(".item").filter({ hasText: name }).count()) === 0; i++) {
    await page.clock.runFor(61_000);
    await page.waitForTimeout(300);
  }
  await expect(widget.locator(".item").filter({ hasText: name })).toContainText("Identified · updated");
  // Escape on a focused item dismisses it too.
  await widget.locator(".item").filter({ hasText: name }).getByRole("link").focus();
  await page.keyboard.press("Escape");
  await expect(widget.locator(".item").filter({ hasText: name })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the poll pauses while the tab is hidden and resumes when it is shown", async ({ page }) => {
  await page.clock.install();
  const polls: number[] = [];
  page.on("request", (r) => isPoll(r) && polls.push(Date.now()));
  const answered = () => page.waitForResponse((r) => isPoll(r.request()));
  let answer = answered();
  await page.goto(`${hostOrigin}/?mode=badge`);
  await answer;
  // The answer and its words are read and the next poll scheduled (the badge shows them) before the clock moves.
  await expect.poll(async () => (await page.locator("candor-status").boundingBox())?.width ?? 0).toBeGreaterThan(0);
  await page.waitForTimeout(300);
  expect(polls.length).toBe(1);
  answer = answered();
  await page.clock.runFor(59_000);
  expect(polls.length).toBe(1);
  await page.clock.runFor(2_000);
  await answer;
  expect(polls.length).toBe(2);
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await page.waitForTimeout(300);
  await page.clock.runFor(5 * 60_000);
  await page.waitForTimeout(300);
  expect(polls.length).toBe(2);
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  // Shown again more than a minute after the last poll: it polls at once.
  await expect.poll(() => polls.length).toBe(3);
});

test("toast: a corner card, still when motion is reduced, dark with the host's dark scheme", async ({ page }) => {
  await page.addInitScript(OPEN_SHADOW);
  const errors = errorsOf(page);
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(`${hostOrigin}/?mode=toast`);
  const card = page.locator("candor-status .toast .item").first();
  await expect(card).toBeVisible();
  // The stack of cards sits in the corner (other specs may have left several items open).
  const box = (await page.locator("candor-status .toast").boundingBox())!;
  expect(box.x + box.width).toBeGreaterThan(1100);
  expect(box.y + box.height).toBeGreaterThan(700);
  expect(await card.evaluate((el) => getComputedStyle(el).animationName)).toBe("in");
  const light = await card.evaluate((el) => getComputedStyle(el).backgroundColor);
  await axeClean(page, "toast");

  await page.emulateMedia({ reducedMotion: "reduce", colorScheme: "dark" });
  expect(await card.evaluate((el) => getComputedStyle(el).animationName)).toBe("none");
  const dark = await card.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(dark).not.toBe(light);
  await axeClean(page, "toast dark");
  expect(errors).toEqual([]);
});

test("badge: a dot and a line; a component filter that matches nothing shows all is well and no banner", async ({ page }) => {
  await page.addInitScript(OPEN_SHADOW);
  const errors = errorsOf(page);
  const data = await widgetData(page);
  const open = [...data.incidents, ...data.maintenances];
  await page.goto(`${hostOrigin}/?mode=badge`);
  const badge = page.locator("candor-status a.badge");
  await expect(badge).toHaveText(open.length === 1 ? open[0].name : /\d+ active incidents?/);
  await axeClean(page, "badge");

  const calm = components.find((c) => !open.some((i: { component_ids: string[] }) => i.component_ids.includes(c.id)));
  expect(calm, "a component no open item affects").toBeTruthy();
  await page.goto(`${hostOrigin}/?mode=badge&components=${calm!.id}`);
  await expect(badge).toHaveText("All systems operational");
  await page.goto(`${hostOrigin}/?mode=banner&components=${calm!.id}`);
  await expect(page.locator("candor-status .list")).toBeAttached();
  await expect(page.locator("candor-status .item")).toHaveCount(0);
  expect((await page.locator("candor-status").boundingBox())!.height).toBe(0);
  // A component an open incident affects brings exactly those.
  const hit = open.find((i: { component_ids: string[] }) => i.component_ids.length > 0)!;
  await page.goto(`${hostOrigin}/?mode=banner&components=${hit.component_ids[0]}`);
  await expect(page.locator("candor-status .item").first()).toBeVisible();
  const shown = await page.locator("candor-status .item a").allTextContents();
  expect(shown).toEqual(open.filter((i: { component_ids: string[] }) => i.component_ids.includes(hit.component_ids[0])).map((i: { name: string }) => i.name));
  expect(errors).toEqual([]);
});

test("the shadow root is closed to the host page", async ({ page }) => {
  const errors = errorsOf(page);
  await page.goto(`${hostOrigin}/?mode=banner`);
  await expect.poll(async () => (await page.locator("candor-status").boundingBox())?.height ?? 0).toBeGreaterThan(20);
  expect(await page.evaluate(() => document.querySelector("candor-status")!.shadowRoot)).toBeNull();
  expect(errors).toEqual([]);
});

test("Statuspage's embed: the shim shows its frame, ignores messages from elsewhere, hides it on dismiss", async ({ page }) => {
  const errors = errorsOf(page);
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(`${hostOrigin}/statuspage`);
  const frame = page.locator("iframe[data-candor-embed]");
  // The reader's language (this browser's, English) among Candor's.
  await expect(frame).toHaveAttribute("src", `${app}/embed/frame?locale=en`);
  await expect(frame).toBeVisible();
  await expect(frame).toHaveAttribute("title", "Service status");
  const box = (await frame.boundingBox())!;
  // 320 × 115, 60px from the bottom-left corner (the default position).
  expect([box.x, box.width, box.height, 800 - box.y - box.height]).toEqual([60, 320, 115, 60]);
  const content = page.frameLocator("iframe[data-candor-embed]");
  await expect(content.getByRole("link").first()).toBeVisible();
  await axeClean(page, "statuspage host");

  // The host page's own message (not the frame's) changes nothing.
  await page.evaluate(() => window.postMessage({ action: "dismissFrame" }, "*"));
  await page.waitForTimeout(200);
  await expect(frame).toBeVisible();

  const button = content.getByRole("button", { name: /^Dismiss/ });
  // The keyboard: this headless Chromium does not route mouse clicks into a cross-site frame (with the host on
  // 127.0.0.1, same site, a click on the button dismisses it as well).
  await button.press("Enter");
  await expect(frame).toBeHidden();
  // Remembered in the host page's storage (the frame's, a third party's, is blocked): the next visit keeps it hidden.
  await page.reload();
  // The frame has loaded and sent its showFrame (its script runs as its body ends).
  await expect(page.frameLocator("iframe[data-candor-embed]").locator("body[data-id] script")).toBeAttached();
  await page.waitForTimeout(500);
  await expect(page.locator("iframe[data-candor-embed]")).toBeHidden();
  expect(await page.evaluate(() => localStorage.getItem("candor-embed-dismissed"))).toMatch(/^[a-z0-9]{12}@\d{4}-/);
  expect(errors).toEqual([]);
});

test("Statuspage's embed on a phone: the narrow frame across the bottom", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${hostOrigin}/statuspage`);
  const frame = page.locator("iframe[data-candor-embed]");
  await expect(frame).toHaveAttribute("src", `${app}/embed/frame?locale=en&mobile=true`);
  await expect(frame).toBeVisible();
  const box = (await frame.boundingBox())!;
  expect([box.x, box.width, box.height, box.y + box.height]).toEqual([0, 390, 160, 800]);
});

test("the widget speaks the snippet's data-locale, else the reader's language; Arabic right to left", async ({ browser }) => {
  // A French reader on a host page that says lang="en".
  const context = await browser.newContext({ locale: "fr-FR" });
  const page = await context.newPage();
  await page.addInitScript(OPEN_SHADOW);
  const errors = errorsOf(page);
  const name = `Embed locale ${Date.now()}`;
  await declare(page, name, "SEV-2");
  await widgetData(page, name);
  const item = page.locator("candor-status .item").filter({ hasText: name });

  await page.goto(`${hostOrigin}/?mode=banner&locale=de`);
  await expect(item).toContainText("Untersuchung · aktualisiert");
  await expect(item.getByRole("button", { name: `Schließen: ${name}` })).toBeVisible();
  await expect(page.locator("candor-status .list")).toHaveAttribute("lang", "de");
  await expect(page.locator("candor-status .list")).toHaveAttribute("dir", "ltr");

  await page.goto(`${hostOrigin}/?mode=banner`);
  await expect(item).toContainText("Enquête en cours · mis à jour");
  await expect(item.getByRole("button", { name: `Fermer : ${name}` })).toBeVisible();
  await axeClean(page, "banner fr");
  await page.goto(`${hostOrigin}/?mode=badge`);
  await expect(page.locator("candor-status a.badge")).toHaveText(/^\d+ incidents? en cours/);

  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(`${hostOrigin}/?mode=toast&locale=ar`);
  const list = page.locator("candor-status .list");
  await expect(list).toHaveAttribute("dir", "rtl");
  await expect(item).toContainText("قيد التحقيق");
  // Right to left: the toast in the bottom-left corner (its inline end), the coloured edge on the right (its start).
  const box = (await page.locator("candor-status .toast").boundingBox())!;
  expect(box.x).toBeLessThan(100);
  expect(await item.evaluate((el) => [getComputedStyle(el).borderRightWidth, getComputedStyle(el).borderLeftWidth])).toEqual(["4px", "0px"]);
  // Checked once the cards have slid in: mid-animation their text is still fading in.
  await page.locator("candor-status .toast .item").evaluateAll((els) => Promise.all(els.flatMap((el) => el.getAnimations().map((a) => a.finished))));
  await axeClean(page, "toast ar");
  expect(errors).toEqual([]);
  await context.close();
});

test("Statuspage's embed in the snippet's language: German, and Arabic right to left", async ({ page }) => {
  const errors = errorsOf(page);
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(`${hostOrigin}/statuspage?locale=de`);
  const frame = page.locator("iframe[data-candor-embed]");
  await expect(frame).toHaveAttribute("src", `${app}/embed/frame?locale=de`);
  await expect(frame).toBeVisible();
  await expect(frame).toHaveAttribute("title", "Dienststatus");
  const content = page.frameLocator("iframe[data-candor-embed]");
  await expect(content.locator("html")).toHaveAttribute("lang", "de");
  await expect(content.getByRole("button", { name: /^Schließen: / })).toBeVisible();
  await expect(content.locator(".meta")).toContainText("aktualisiert");
  await axeClean(page, "statuspage de");

  await page.goto(`${hostOrigin}/statuspage?locale=ar`);
  await expect(frame).toHaveAttribute("src", `${app}/embed/frame?locale=ar`);
  await expect(frame).toBeVisible();
  await expect(frame).toHaveAttribute("title", "حالة الخدمة");
  await expect(content.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(content.getByRole("button", { name: /^إغلاق: / })).toBeVisible();
  // The dismiss button at the inline end: the left, in Arabic.
  const frameBox = (await frame.boundingBox())!;
  const button = (await content.getByRole("button").boundingBox())!;
  expect(button.x - frameBox.x).toBeLessThan(60);
  await axeClean(page, "statuspage ar");
  expect(errors).toEqual([]);
});

test("admin Embed page: snippets, previews, and the owner's settings move and colour the frame", async ({ page }) => {
  const errors = errorsOf(page);
  await signIn(page);
  await page.goto("/admin/embed");
  await expect(page.getByRole("heading", { name: "Embed", level: 1 })).toBeVisible();
  // The snippets name the page's public URL (Settings).
  const publicUrl = (await (await page.request.get("/api/v2/summary.json")).json()).page.url;
  await expect(page.locator("pre").first()).toContainText(`<script src="${publicUrl}/embed.js" async></script>`);
  await expect(page.locator("pre").nth(1)).toContainText(`<script src="${publicUrl}/embed/script.js"></script>`);
  // The three widget modes, drawn by /embed.js itself.
  await expect(page.locator("candor-status")).toHaveCount(3);
  await expect.poll(async () => (await page.locator('candor-status[mode="banner"]').boundingBox())?.height ?? 0).toBeGreaterThan(20);
  await axeClean(page, "/admin/embed");

  // Unreadable text is refused, naming the field; nothing changes.
  await page.getByLabel("Incident text").fill("#b42319");
  await page.getByRole("button", { name: "Save embed settings" }).click();
  await expect(page.getByText(/Incident text reads 1\.0:1/)).toBeVisible();

  await page.getByLabel("Incident text").fill("#ffffff");
  await page.getByLabel("Incident background").fill("#5b21b6");
  await page.getByLabel("Position").selectOption("top-right");
  await page.getByRole("button", { name: "Save embed settings" }).click();
  await expect(page.getByText("Embed settings saved.")).toBeVisible();

  await page.setViewportSize({ width: 1200, height: 800 });
  await expect(async () => {
    await page.goto(`${hostOrigin}/statuspage`);
    const frame = page.locator("iframe[data-candor-embed]");
    await expect(frame).toBeVisible({ timeout: 3000 });
    const box = (await frame.boundingBox())!;
    expect([box.x + box.width, box.y]).toEqual([1200 - 60, 60]);
    const background = await page.frameLocator("iframe[data-candor-embed]").locator("body").evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(background).toBe("rgb(91, 33, 182)");
  }).toPass({ timeout: 20_000 });
  expect(errors).toEqual([]);
});
