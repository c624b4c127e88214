// What the e2e runs share: checks that record a result each, the command palette, the toasts,
// the colour theme. Playwright drives the real workbench as a person would (keyboard and mouse).

/** Records each check as passed or failed (with a screenshot of the failure), then rethrows. */
export function checks(results, failureShot) {
  let page;
  return {
    use(p) { page = p; },
    async check(title, fn) {
      try {
        await fn();
        results.passed.push(title);
        console.log(`  ✓ ${title}`);
      } catch (err) {
        results.failed.push({ title, err: String(err?.message ?? err).split('\n')[0] });
        await page?.screenshot({ path: failureShot }).catch(() => {});
        console.log(`  ✗ ${title}: ${String(err?.message ?? err).split('\n').slice(0, process.env.WOO_E2E_VERBOSE ? 20 : 1).join('\n')}`);
        throw err;
      }
    },
  };
}

/** Types `title` into the command palette; resolves to its row (the caller clicks it). */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input');
  const item = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  // Contributions can arrive seconds after the workbench renders: retry the palette.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    try { await item.waitFor({ timeout: 10000 }); break; } catch (e) {
      if (attempt >= 3) throw new Error(`"${title}" never appeared in the command palette`);
      await page.keyboard.press('Escape');
    }
  }
  return item;
}

/** Closes every notification toast (a picture shows the product, not the toasts). */
export async function closeToasts(page) {
  await page.waitForTimeout(300);
  for (const close of await page.locator('.notifications-toasts .codicon-notifications-clear').all()) await close.click().catch(() => {});
  await page.waitForTimeout(200);
}

/** Preferences: Color Theme, as a person picks one. */
export async function setTheme(page, theme) {
  await (await runCommand(page, 'Preferences: Color Theme')).click();
  await page.locator('.quick-input-widget input').fill(theme);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first();
  await row.waitFor({ timeout: 10000 });
  await row.click();
}

/**
 * Types a value into the open input box and accepts it. The box's check (validateInput) runs in the
 * extension host, and VS Code ignores Enter while the previous value's error is still shown: on a
 * busy machine the check of the new value can come back after a quick Enter. So Enter waits until
 * no error is shown.
 */
export async function enterInput(page, value) {
  const input = page.locator('.quick-input-widget input');
  await input.fill(value);
  await page.locator('.quick-input-widget .monaco-inputbox.error').waitFor({ state: 'detached', timeout: 20000 });
  await input.press('Enter');
}

/**
 * Picks a row of the quick pick whose placeholder starts with `placeholder`. The quick input reuses
 * one widget, and as it opens it can still hold the previous list (the command palette's): waiting
 * for this pick's placeholder and clicking the row itself avoids an Enter that lands on stale rows.
 */
export async function pickRow(page, placeholder, row, timeout = 60000) {
  await page.locator(`.quick-input-widget input[placeholder^="${placeholder}"]`).waitFor({ state: 'visible', timeout });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: row }).first().click({ timeout: 20000 });
}
