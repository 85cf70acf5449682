/*
 * Reporting a problem, in Chromium against the production server: an owner
 * turns the form on, a customer finds it from the status page, gets their
 * mistakes named (errors tied to fields, the summary focused), sends a
 * report, and the admin's inbox shows it grouped with a way to declare an
 * incident for that component; resolving it emails the reporter once, whose
 * opt-out link works without JavaScript. With JavaScript on and off, and
 * with the proof of work on. And in German, the page's default locale, on a
 * server of its own.
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expectNoSeriousViolations } from "../support/public-pages.ts";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_OWNER } from "../../scripts/demo-owner.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";

async function signIn(page: Page) {
  await page.goto("/admin");
  if (/sign-in/.test(page.url())) {
    await page.getByLabel("Email").fill(DEMO_OWNER.email);
    await page.getByLabel("Password").fill(DEMO_OWNER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/admin/sign-in"));
  }
}

const resendUrl = () => readFileSync(join(process.env.E2E_STATE_DIR ?? join(tmpdir(), "candor-e2e-state"), "resend-url"), "utf8").trim();

/** Waits for an email whose subject matches; follow-ups go out from a background loop, not the request. */
async function waitForEmail(page: Page, address: string, subject: RegExp, budgetMs = 20_000): Promise<{ subject: string; text: string }> {
  const started = Date.now();
  while (Date.now() - started < budgetMs) {
    const emails = (await (await page.request.get(`${resendUrl()}/_test/emails?to=${encodeURIComponent(address)}`)).json()) as { subject: string; text: string }[];
    const found = emails.find((e) => subject.test(e.subject));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no email matching ${subject} for ${address} within ${budgetMs} ms`);
}

/*
 * The owner signs in once for the whole file and every later step reuses
 * that session: sign-in is rate-limited per client (10 a minute), and the
 * specs that run after this one sign in too.
 */
let ownerSession: Awaited<ReturnType<BrowserContext["storageState"]>> | null = null;

async function asOwner(page: Page) {
  if (ownerSession) await page.context().addCookies(ownerSession.cookies);
  else {
    await signIn(page);
    ownerSession = await page.context().storageState();
  }
}

/** The owner ticks or unticks a settings checkbox (in a context of its own, with JavaScript). */
async function setSetting(browser: Browser, baseURL: string, label: RegExp, on: boolean) {
  // javaScriptEnabled spelled out: contexts made in a test inherit its `use` options.
  const context = await browser.newContext({ baseURL, javaScriptEnabled: true });
  const page = await context.newPage();
  await asOwner(page);
  await page.goto("/admin/settings");
  await page.waitForLoadState("networkidle");
  const checkbox = page.getByLabel(label);
  await checkbox.setChecked(on);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  // Stored: a fresh load shows it.
  await page.goto("/admin/settings");
  await expect(checkbox).toBeChecked({ checked: on });
  await context.close();
}

const enableReports = (browser: Browser, baseURL: string) => setSetting(browser, baseURL, /Let customers report a problem/, true);


/** From the status page to the form, by its link (the public pages' cache catches up with the setting within seconds). */
async function openFromStatusPage(page: Page) {
  await expect(async () => {
    await page.goto("/");
    await expect(page.getByRole("link", { name: "Report a problem" })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole("link", { name: "Report a problem" }).click();
  await expect(page).toHaveURL(/\/report$/);
  await expect(page.getByRole("heading", { name: "Report a problem", level: 1 })).toBeVisible();
}

test("with JavaScript: errors named and focused, a report sent, the inbox groups it and leads to declaring", async ({ page, browser, baseURL }) => {
  await enableReports(browser, baseURL!);
  await openFromStatusPage(page);
  await expectNoSeriousViolations(page);

  // Too short: the summary takes focus, links to the field, and the field names its error.
  const description = page.getByLabel("What do you see?");
  await description.fill("broken");
  await page.getByRole("button", { name: "Send report" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "Please fix" });
  await expect(summary).toContainText("What do you see: 10 to 2000 characters of plain text, please.");
  await expect(summary).toBeFocused();
  await expect(description).toHaveAttribute("aria-invalid", "true");
  await expect(description).toHaveAccessibleDescription(/characters of plain text, please/);
  await expect(description).toHaveValue("broken");
  await expectNoSeriousViolations(page);

  const picker = page.getByLabel("Which part of the service?");
  const componentName = (await picker.locator("option").nth(1).textContent())!.trim();
  await picker.selectOption({ label: componentName });
  const text = `E2E report ${Date.now()}: <b>checkout</b> returns an error page`;
  const reporter = `reporter-${Date.now()}@example.com`;
  await description.fill(text);
  await page.getByLabel("Email (optional)").fill(reporter);
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByRole("status")).toContainText("Thank you, we have your report");
  await expectNoSeriousViolations(page);

  // The answer a post without JavaScript comes back to (axe needs JavaScript, so it looks here).
  await page.goto("/report?result=invalid&fields=component,description,email");
  await expect(page.getByLabel("Email (optional)")).toHaveAccessibleDescription(/enter an email address, or leave it empty/);
  await expectNoSeriousViolations(page);

  // The inbox: the report under its component, as plain text, with a way to declare an incident for it.
  await asOwner(page);
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Reports" }).click();
  const row = page.getByRole("row").filter({ hasText: text });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("rowheader")).toHaveText(componentName);
  await expect(row.locator("b")).toHaveCount(0);
  await row.getByRole("link", { name: "Declare incident from these reports" }).click();
  await expect(page).toHaveURL(/\/admin\/incidents\/new\?component=[a-z0-9]{12}&reports=[a-z0-9]{12}\.\d+\.60$/);
  await expect(page.getByText("Declaring from a group of problem reports")).toBeVisible();
  await expect(page.getByRole("group", { name: "Affected components" }).getByRole("checkbox", { name: componentName })).toBeChecked();

  // Declared and resolved: the reporter hears back once, with a link to stop such emails.
  const title = `Reported checkout errors ${Date.now()}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("What is happening (description)").fill("errors at checkout");
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByRole("button", { name: "Publish incident" }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  const post = page.getByRole("region", { name: /Post an update/ });
  await post.getByLabel("Status", { exact: true }).selectOption("resolved");
  await post.getByRole("button", { name: "Preview" }).click();
  await post.getByRole("button", { name: "Post update" }).click();
  await expect(page.getByText(/· resolved after \d+ min/)).toBeVisible();
  const email = await waitForEmail(page, reporter, new RegExp(`Resolved: ${title}`));
  const optOut = new URL(email.text.match(/Never email me about my reports: (\S+)/)![1]);

  const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const person = await noScript.newPage();
  await person.goto(optOut.pathname);
  await expect(person.getByText(`Stop these emails to ${reporter}?`)).toBeVisible();
  await person.getByRole("button", { name: "Stop these emails" }).click();
  await expect(person.getByRole("status")).toContainText(`will not email ${reporter} about problem reports again`);
  await noScript.close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the form posts, names errors, and confirms", async ({ page, browser, baseURL }) => {
    await enableReports(browser, baseURL!);
    await openFromStatusPage(page);

    await page.getByLabel("Email (optional)").fill("not an address");
    await page.getByLabel("What do you see?").fill("The status page itself loads fine but login fails");
    await page.getByRole("button", { name: "Send report" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Please fix" })).toContainText("Email: enter an email address, or leave it empty.");
    await expect(page.getByLabel("Email (optional)")).toHaveAccessibleDescription(/enter an email address, or leave it empty/);
    // The answer travels in the URL, what was typed never does: it is typed again.
    expect(page.url()).not.toContain("login");
    await page.getByLabel("What do you see?").fill("The status page itself loads fine but login fails");

    await page.getByLabel("Email (optional)").fill("reporter@example.com");
    await page.getByRole("button", { name: "Send report" }).click();
    await expect(page.getByRole("status")).toContainText("Thank you, we have your report");
  });
});

test.describe("with the proof of work on", () => {
  test.afterAll(async ({ browser, baseURL }) => {
    await setSetting(browser, baseURL!, /Ask report senders' browsers for a proof of work/, false);
  });

  test("with JavaScript the browser solves it and the report is sent; without, the form says why it cannot", async ({ page, browser, baseURL }) => {
    await enableReports(browser, baseURL!);
    await setSetting(browser, baseURL!, /Ask report senders' browsers for a proof of work/, true);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto("/report");
    await page.getByLabel("What do you see?").fill("Search returns nothing since this morning");
    await page.getByRole("button", { name: "Send report" }).click();
    await expect(page.getByRole("status")).toContainText("Thank you, we have your report", { timeout: 20_000 });
    expect(errors).toEqual([]);

    const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false });
    const person = await noScript.newPage();
    await person.goto("/report");
    await expect(person.getByText("your browser solves a small puzzle when you send a report: this needs JavaScript")).toBeVisible();
    await person.getByLabel("What do you see?").fill("Search returns nothing since this morning");
    await person.getByRole("button", { name: "Send report" }).click();
    await expect(person.getByRole("alert")).toContainText("The check that you are a person needs JavaScript");
    await noScript.close();
  });
});

test.describe("in German", () => {
  let german: NextServer;
  test.beforeAll(async () => {
    german = await startPreparedServer({
      env: { CANDOR_WORKER: "off" },
      async prepare(db) {
        // Plain writes: the domain's modules import Next's, which load only inside Next.
        await db
          .insertInto("page")
          .values({ id: "germanpage01", name: "Acme", url: "http://127.0.0.1", time_zone: "Europe/Berlin", default_locale: "de", reports_enabled: true })
          .execute();
      },
    });
  });
  test.afterAll(() => german?.stop());

  for (const javaScriptEnabled of [true, false]) {
    test(`labels and errors in German, JavaScript ${javaScriptEnabled ? "on" : "off"}`, async ({ browser }) => {
      // A German reader on a page whose default is German: served unprefixed, in German.
      const context = await browser.newContext({ baseURL: german.url, javaScriptEnabled, locale: "de-DE" });
      const page = await context.newPage();
      await page.goto("/report");
      await expect(page.getByRole("heading", { name: "Problem melden", level: 1 })).toBeVisible();
      const description = page.getByLabel("Was sehen Sie?");
      const email = page.getByLabel("E-Mail (optional)");
      await expect(page.getByLabel("Welcher Teil des Dienstes?")).toHaveValue("");
      await expect(page.getByRole("option", { name: "Nicht sicher / der ganze Dienst" })).toBeAttached();
      await description.fill("kaputt");
      await email.fill("keine Adresse");
      await page.getByRole("button", { name: "Meldung senden" }).click();
      const summary = page.getByRole("alert").filter({ hasText: "Bitte korrigieren Sie die markierten Felder." });
      await expect(summary).toContainText("Was sehen Sie: bitte 10 bis 2000 Zeichen reiner Text.");
      await expect(summary).toContainText("E-Mail: Geben Sie eine E-Mail-Adresse ein oder lassen Sie das Feld leer.");
      await expect(summary.getByRole("link", { name: /^Was sehen Sie:/ })).toHaveAttribute("href", "#report-description");
      await expect(description).toHaveAccessibleDescription(/Was sehen Sie: bitte 10 bis 2000 Zeichen reiner Text\./);
      await expect(email).toHaveAttribute("aria-invalid", "true");
      if (javaScriptEnabled) {
        await expect(summary).toBeFocused();
        await expectNoSeriousViolations(page);
      }
      await expect(page.getByText(/please|must be/i)).toHaveCount(0);

      await description.fill("Die Anmeldung schlägt seit heute Morgen fehl");
      await email.fill("");
      await page.getByRole("button", { name: "Meldung senden" }).click();
      await expect(page.getByRole("status")).toContainText("Vielen Dank, Ihre Meldung ist angekommen");
      // The page's default locale is served unprefixed.
      await expect(page.getByRole("link", { name: "Zurück zur Statusseite" })).toHaveAttribute("href", "/");
      await context.close();
    });
  }
});
