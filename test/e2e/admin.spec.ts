/*
 * The comms lead's path through the admin area, in Chromium against next
 * start: sign in, declare from a template with a preview of the page and the
 * email, see it public within a second, post Identified and Monitoring,
 * resolve, write the postmortem, sign out. Then the declare flow by keyboard
 * only, axe-core on the admin pages, and the gate in front of them.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_OWNER } from "../../scripts/demo-owner.ts";

async function signIn(page: Page) {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/sign-in/);
  await page.getByLabel("Email").fill(DEMO_OWNER.email);
  await page.getByLabel("Password").fill(DEMO_OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Incidents", level: 1 })).toBeVisible();
}

/** Fetch `/` until it shows `text`; returns the milliseconds it took. */
async function publicPageShows(page: Page, text: string, budgetMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < budgetMs) {
    const body = await (await page.request.get("/")).text();
    if (body.includes(text)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`public page did not show "${text}" within ${budgetMs} ms`);
}

test("declare from a template, preview, publish, update, resolve, postmortem, sign out", async ({ page }) => {
  await signIn(page);
  const title = `Checkout errors ${Date.now()}`;

  // Declare: the measured part, from the incident list to a published incident.
  let clicks = 0;
  const declareStarted = Date.now();
  await page.getByRole("link", { name: "Declare incident" }).click();
  clicks++;
  await expect(page.getByRole("heading", { name: "Declare an incident" })).toBeVisible();
  await expect(page.getByLabel("Template")).toHaveValue(/.+/);
  const firstComponent = page.getByRole("group", { name: "Affected components" }).getByRole("checkbox").first();
  await firstComponent.check();
  clicks++;
  await page.getByLabel("Title").fill(title);
  clicks++;
  await page.getByLabel("Severity").selectOption("SEV-1");
  clicks++;

  // An unfilled placeholder blocks publishing with a message naming it.
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByText("Cannot publish yet: fill {{description}}")).toBeVisible();
  await expect(page.getByRole("button", { name: "Publish incident" })).toHaveCount(0);

  await page.getByLabel("What is happening (description)").fill("failed payments at checkout");
  clicks++;
  await page.getByRole("button", { name: "Preview" }).click();
  clicks++;
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("heading", { name: title })).toBeVisible();
  await expect(preview).toContainText("We are currently investigating failed payments at checkout affecting");
  await expect(preview).toContainText(/\d+ subscribers? will be notified by email/);
  await preview.getByText("The email as it will go out").click();
  const email = page.frameLocator('iframe[title="Email preview"]');
  await expect(email.getByText("failed payments at checkout").first()).toBeVisible();

  await page.getByRole("button", { name: "Publish incident" }).click();
  clicks++;
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  const declareSeconds = (Date.now() - declareStarted) / 1000;
  // The goal is one second; the budget allows for a loaded 2-core test machine (measured figure logged).
  const publicMs = await publicPageShows(page, title, 2000);
  console.log(`[measure] declare: ${clicks} clicks/fields, ${declareSeconds.toFixed(1)} s (scripted); public page showed it after ${publicMs} ms`);
  await expect(page.getByText(/next update due in 1[45] min/)).toBeVisible();

  // Identified: next status and template pre-selected, component statuses carried over.
  const post = page.getByRole("region", { name: /Post an update/ });
  await expect(post.getByLabel("Status", { exact: true })).toHaveValue("identified");
  await expect(post.getByLabel(/^New status of /)).toHaveValue("partial_outage");
  await post.getByLabel("Root cause").fill("an expired certificate at the payment provider");
  await post.getByLabel("Expected resolution (eta)").fill("15:30 UTC");
  await post.getByRole("button", { name: "Preview" }).click();
  await post.getByRole("button", { name: "Post update" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: "an expired certificate" })).toBeVisible();

  // Monitoring.
  await expect(post.getByLabel("Status", { exact: true })).toHaveValue("monitoring");
  await post.getByRole("button", { name: "Preview" }).click();
  await post.getByRole("button", { name: "Post update" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: "A fix has been implemented" })).toBeVisible();

  // Resolve: components back to operational, duration pre-filled.
  await expect(post.getByLabel("Status", { exact: true })).toHaveValue("resolved");
  await expect(post.getByLabel(/^New status of /)).toHaveValue("operational");
  await expect(post.getByLabel("Duration")).toHaveValue(/min/);
  await post.getByRole("button", { name: "Preview" }).click();
  await post.getByRole("button", { name: "Post update" }).click();
  await expect(page.getByRole("link", { name: "Write postmortem" })).toBeVisible();
  await expect(page.getByText(/· resolved after \d+ min/)).toBeVisible();

  // Correct a posted update's text, silently.
  const identified = page.getByRole("listitem").filter({ hasText: "an expired certificate" });
  await identified.getByText("Correct this update’s text (silently)").click();
  await identified.getByLabel("Text").fill("The issue has been identified: an expired certificate at our payment provider.");
  await identified.getByRole("button", { name: "Save correction" }).click();
  await expect(identified.getByText("Correction saved.")).toBeVisible();

  // Postmortem: pre-filled from the template with the generated timeline; placeholders left must be written.
  await page.getByRole("link", { name: "Write postmortem" }).click();
  const editor = page.getByLabel("Postmortem (markdown)");
  await expect(editor).toHaveValue(/## Timeline\n- \*\*/);
  await page.getByRole("button", { name: "Publish postmortem" }).click();
  await expect(page.getByText(/still has unfilled placeholders/)).toBeVisible();
  const text = (await editor.inputValue())
    .replace("{{description}}", "Card payments failed for 25 minutes.")
    .replace("{{root_cause}}", "An expired TLS certificate.")
    .replace("{{workaround}}", "The certificate was renewed.");
  await editor.fill(text);
  await page.getByRole("button", { name: "Preview postmortem" }).click();
  await expect(page.getByRole("region", { name: "Preview" }).getByText("An expired TLS certificate.")).toBeVisible();
  await page.getByRole("button", { name: "Publish postmortem" }).click();
  await expect(page.getByText("Postmortem", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit postmortem" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/sign-in/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/sign-in/);
});

test("declare an incident with the keyboard only", async ({ page }) => {
  await signIn(page);
  const title = `Keyboard declared ${Date.now()}`;
  const started = Date.now();
  let keys = 0;
  const press = async (key: string) => {
    keys++;
    await page.keyboard.press(key);
  };
  const type = async (text: string) => {
    keys++;
    await page.keyboard.type(text);
  };
  // Only Tab / Shift+Tab / Enter / Space / typing from here on: no clicks, no programmatic focus.
  const tabTo = async (target: ReturnType<Page["locator"]>) => {
    for (let i = 0; i < 60; i++) {
      if (await target.evaluate((el) => el === document.activeElement)) return;
      await press("Tab");
    }
    throw new Error("could not reach the element with Tab");
  };
  await tabTo(page.getByRole("link", { name: "Declare incident" }));
  await press("Enter");
  await expect(page.getByRole("heading", { name: "Declare an incident" })).toBeVisible();
  await expect(page.getByLabel("Title")).toBeEnabled();
  await tabTo(page.getByLabel("Title"));
  await press("ControlOrMeta+a");
  await type(title);
  await tabTo(page.getByRole("group", { name: "Affected components" }).getByRole("checkbox").first());
  await press("Space");
  await tabTo(page.getByLabel("What is happening (description)"));
  await type("slow logins");
  await press("Enter"); // Enter in a field previews
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview).toContainText("slow logins");
  const publish = page.getByRole("button", { name: "Publish incident" });
  await expect(publish).toBeVisible();
  await tabTo(publish);
  await press("Enter");
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  console.log(`[measure] keyboard-only declare: ${keys} key presses/typing steps, ${((Date.now() - started) / 1000).toFixed(1)} s (scripted)`);
});

test("admin pages have no axe-core violations", async ({ page }) => {
  await page.goto("/admin/sign-in");
  const signInResults = await new AxeBuilder({ page }).analyze();
  expect(signInResults.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await signIn(page);
  for (const path of ["/admin", "/admin/incidents/new", "/admin/maintenance", "/admin/components", "/admin/templates", "/admin/settings", "/admin/users", "/admin/audit"]) {
    await page.goto(path);
    await expect(page.locator("h1")).toBeVisible();
    // Next streams a dynamic page's metadata after its body.
    await expect(page).toHaveTitle(/\S/);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${path} ${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  }
  const incident = page.getByRole("link").filter({ hasText: /./ });
  await page.goto("/admin");
  await page.locator('a[href^="/admin/incidents/"]:not([href$="/new"])').first().click();
  await expect(page.locator("h1")).toBeVisible();
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `incident ${v.id}: ${v.help}`)).toEqual([]);
  expect(await incident.count()).toBeGreaterThan(0);
});

test("without a session every admin page sends you to sign-in and shows nothing", async ({ request }) => {
  for (const path of ["/admin", "/admin/incidents/new", "/admin/maintenance", "/admin/components", "/admin/templates", "/admin/settings", "/admin/users", "/admin/audit"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(307);
    expect(response.headers().location, path).toMatch(/\/admin\/sign-in$/);
  }
});

test("the XSS corpus renders inert in the admin area and on the public page", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const stamp = Date.now();
  const component = `<img src=x onerror="window.__xss=1">Comp ${stamp}`;
  const title = `<svg onload="window.__xss=1">XSS ${stamp}`;
  const description = `<img src=x onerror="window.__xss=1"> <script>window.__xss=1</script> [click](javascript:window.__xss=1) <a href="javascript:alert(1)">a</a>`;
  await signIn(page);

  await page.goto("/admin/components");
  const create = page.getByRole("region", { name: "New component" });
  await create.getByLabel("Name").fill(component);
  await create.getByRole("button", { name: "Create component" }).click();
  await expect(create.getByText("Component created.")).toBeVisible();

  await page.goto("/admin/templates");
  const newTemplate = page.getByRole("region", { name: "New template" });
  await newTemplate.getByLabel("Name").fill(`<b onmouseover="window.__xss=1">T ${stamp}</b>`);
  await newTemplate.getByLabel("Text (markdown with placeholders)").fill(`<script>window.__xss=1</script>{{components}} <img src=x onerror="window.__xss=1">`);
  await newTemplate.getByRole("button", { name: "Create template" }).click();
  await expect(newTemplate.getByText("Template created.")).toBeVisible();

  await page.goto("/admin/incidents/new");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("checkbox", { name: component }).check();
  await page.getByLabel("What is happening (description)").fill(description);
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByRole("button", { name: "Publish incident" })).toBeVisible();
  await page.getByRole("button", { name: "Publish incident" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  const incidentPath = new URL(page.url()).pathname;

  for (const path of ["/admin", incidentPath, "/admin/components", "/admin/templates", "/admin/audit", "/", incidentPath.replace("/admin", "")]) {
    await page.goto(path);
    await page.waitForLoadState("load");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), path).toBeUndefined();
    expect(await page.locator("[onerror], [onload], [onmouseover], a[href^='javascript:' i]").count(), path).toBe(0);
  }
  // The title is shown as text, not markup.
  await page.goto("/admin");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  expect(dialogs).toEqual([]);
});

test("a refused form names the field and keeps what was typed; components reorder with buttons", async ({ page }) => {
  await signIn(page);
  await page.goto("/admin/templates");
  const form = page.getByRole("region", { name: "New template" });
  const text = "Hello {{customer_name}}, {{components}} is down.";
  await form.getByLabel("Name").fill("Bad placeholder");
  await form.getByLabel("Text (markdown with placeholders)").fill(text);
  await form.getByRole("button", { name: "Create template" }).click();
  await expect(form.getByText(/Text \(markdown with placeholders\) uses unknown placeholders: \{\{customer_name\}\}/)).toBeVisible();
  await expect(form.getByLabel("Text (markdown with placeholders)")).toHaveValue(text);
  await expect(form.getByLabel("Name")).toHaveValue("Bad placeholder");
  await expect(form.getByLabel("Text (markdown with placeholders)")).toHaveAttribute("aria-invalid", "true");

  await page.goto("/admin/components");
  const names = async () => page.getByRole("list", { name: "Platform components" }).locator(":scope > li span.font-medium").allTextContents();
  const before = await names();
  expect(before.length).toBeGreaterThan(1);
  const down = page.getByRole("button", { name: `Move ${before[0]} down` });
  await expect(down).toBeEnabled();
  await down.focus();
  await page.keyboard.press("Enter");
  await expect.poll(names).toEqual([before[1], before[0], ...before.slice(2)]);
  // The new order is stored, not only shown.
  await page.reload();
  expect(await names()).toEqual([before[1], before[0], ...before.slice(2)]);
});
