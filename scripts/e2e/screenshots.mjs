// Captures the OnCloudWine settings screen of one store in a real browser (Debian's
// chromium through playwright-core), for scripts/e2e/screenshots.sh.
//
// node screenshots.mjs <store-url> <user> <password> <out.png> [<scene-file> <then-scene> <out-after.png>]
//
// With the last three arguments (a job running), it captures, then writes <then-scene>
// to the scene file (the job ends on the sidecar) and waits — without reloading — for the
// status panel's live refresh to show the ended job, and captures again. Exits non-zero
// when the panel does not refresh by itself within 20 s, or the page shows a PHP error.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const [url, user, pass, out, sceneFile, thenScene, outAfter] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
let code = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // A store on a loaded CI machine can take tens of seconds for an admin page.
  page.setDefaultTimeout(120000);
  await page.goto(`${url}/wp-login.php`, { waitUntil: 'domcontentloaded' });
  await page.fill('#user_login', user);
  await page.fill('#user_pass', pass);
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('#wp-submit')]);
  await page.goto(`${url}/wp-admin/admin.php?page=wc-settings&tab=integration&section=oncloudwine`, { waitUntil: 'load' });
  await page.waitForSelector('#oncloudwine_consumer_key');
  const body = await page.content();
  if (/(Fatal error|Warning|Notice|Deprecated)<\/b>:/.test(body)) {
    console.error(`screenshots: PHP error on ${url}`);
    code = 1;
  }
  await page.screenshot({ path: out, fullPage: true });
  console.log(`screenshots: ${out}`);
  if (process.env.OCW_SHOTS_PROBE) {
    // Layout probe: the panel's ancestors with their background and box.
    const chain = await page.evaluate(() => {
      const rows = [];
      for (let el = document.getElementById('oncloudwine-status'); el; el = el.parentElement) {
        const cs = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        rows.push(`${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')} bg=${cs.backgroundColor} y=${Math.round(r.top + scrollY)} h=${Math.round(r.height)} float=${cs.float} pos=${cs.position}`);
      }
      const t = document.querySelector('#mainform table.form-table');
      if (t) {
        const cs = getComputedStyle(t);
        rows.push(`form-table bg=${cs.backgroundColor} border-bottom=${cs.borderBottom} y=${Math.round(t.getBoundingClientRect().top + scrollY)} h=${Math.round(t.getBoundingClientRect().height)}`);
      }
      for (const el of document.querySelectorAll('#mainform > *')) {
        const cs = getComputedStyle(el);
        rows.push(`child ${el.tagName.toLowerCase()}.${[...el.classList].join('.')} bg=${cs.backgroundColor} bb=${cs.borderBottomWidth} ${cs.borderBottomColor} y=${Math.round(el.getBoundingClientRect().top + scrollY)} h=${Math.round(el.getBoundingClientRect().height)}`);
      }
      for (const y of [880, 899]) {
        for (const el of document.elementsFromPoint(700, y)) {
          const cs = getComputedStyle(el);
          rows.push(`at y=${y}: ${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')} pos=${cs.position} bg=${cs.backgroundColor} bt=${cs.borderTop} shadow=${cs.boxShadow} z=${cs.zIndex}`);
        }
      }
      for (const el of document.querySelectorAll('body *')) {
        const cs = getComputedStyle(el);
        if (cs.position === 'fixed' || cs.position === 'sticky') {
          const r = el.getBoundingClientRect();
          rows.push(`fixed: ${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')} pos=${cs.position} top=${Math.round(r.top)} h=${Math.round(r.height)} w=${Math.round(r.width)} bt=${cs.borderTop} bb=${cs.borderBottom} shadow=${cs.boxShadow} pe=${cs.pointerEvents}`);
        }
      }
      const submit = document.querySelector('p.submit');
      if (submit) {
        const cs = getComputedStyle(submit);
        rows.push(`p.submit pos=${cs.position} bottom=${cs.bottom} bg=${cs.backgroundColor} bt=${cs.borderTop} shadow=${cs.boxShadow} y=${Math.round(submit.getBoundingClientRect().top + scrollY)}`);
      }
      return rows;
    });
    console.log(chain.join('\n'));
  }
  if (sceneFile) {
    writeFileSync(sceneFile, thenScene);
    try {
      await page.waitForSelector('#oncloudwine-status[data-running="0"] .oncloudwine-job-done', { timeout: 20000 });
      await page.screenshot({ path: outAfter, fullPage: true });
      console.log(`screenshots: ${outAfter} (panel refreshed by itself)`);
    } catch (e) {
      console.error(`screenshots: the panel did not show the ended job without a reload on ${url}`);
      await page.screenshot({ path: outAfter, fullPage: true });
      code = 1;
    }
  }
} finally {
  await browser.close();
}
process.exit(code);
